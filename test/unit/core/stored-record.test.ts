import { describe, expect, it } from '@jest/globals';
import { RecpipeError } from '../../../src/core/errors.js';
import { storedRecord } from '../../../src/core/stored-record.js';
import { arrayOf, int, obj, opt, str } from '../../../src/core/shape.js';
import { LEDGER_ENTRY } from '../../../src/core/catalog/records.js';

const THING = storedRecord({ what: 'thing record', hint: 'write it again', shape: obj({ name: str, count: int, tags: opt(arrayOf(str)) }) });

/** The RecpipeError `f` throws. */
function refusal(f: () => unknown): RecpipeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RecpipeError);
    return e as RecpipeError;
  }
  throw new Error('expected a refusal');
}

describe('storedRecord', () => {
  it('reads a record that fits its shape, extra fields kept', () => {
    expect(THING.parse('{"name":"a","count":2,"later":true}', 'things/a.json')).toEqual({ name: 'a', count: 2, later: true });
    expect(THING.is({ name: 'a', count: 1 })).toBe(true);
    expect(THING.is({ name: 'a' })).toBe(false);
  });

  it('refuses cut-short JSON naming where it is, as an integrity error with the hint', () => {
    const e = refusal(() => THING.parse('{"name":"a","cou', 'things/a.json'));
    expect(e.code).toBe('integrity');
    expect(e.message).toMatch(/^thing record things\/a\.json cannot be read: it is not whole JSON/);
    expect(e.message).not.toContain('\n');
    expect(e.hint).toBe('write it again');
    expect(e.details).toEqual({ path: 'things/a.json' });
  });

  it('refuses a field of the wrong type naming the field', () => {
    const e = refusal(() => THING.parse(Buffer.from('{"name":"a","count":"2"}'), 'things/a.json'));
    expect(e.message).toBe('thing record things/a.json cannot be read: count must be a whole number (got "2")');
    expect(refusal(() => THING.parse('{"name":"a","count":1,"tags":["x",3]}', 'k')).message).toContain('tags[1] must be a string (got 3)');
    expect(refusal(() => THING.parse('{"count":1}', 'k')).message).toContain('name must be a string (got nothing)');
    expect(refusal(() => THING.parse('[]', 'k')).message).toContain('it must be an object (got an array)');
  });

  it('reads NDJSON line by line and names the damaged line', () => {
    expect(THING.parseLines('{"name":"a","count":1}\n\n{"name":"b","count":2}\n', 'rows.ndjson').map((r) => r.name)).toEqual(['a', 'b']);
    const torn = refusal(() => THING.parseLines('{"name":"a","count":1}\n{"name":"b","co', 'rows.ndjson'));
    expect(torn.message).toMatch(/^thing record rows\.ndjson cannot be read: line 2: it is not whole JSON/);
    const wrong = refusal(() => THING.parseLines('{"name":"a","count":1}\n{"name":5,"count":2}', 'rows.ndjson'));
    expect(wrong.message).toBe('thing record rows.ndjson cannot be read: line 2: name must be a string (got 5)');
  });

  it('gives a config error for files a person keeps', () => {
    const kept = storedRecord({ what: 'key store', hint: 'restore it', code: 'config', shape: obj({ keys: arrayOf(str) }) });
    expect(refusal(() => kept.parse('{"keys":{}}', '/home/k.json')).code).toBe('config');
    expect(refusal(() => kept.check({ keys: [1] }, '/home/k.json')).message).toBe('key store /home/k.json cannot be read: keys[0] must be a string (got 1)');
  });

  it('refuses a ledger entry with a state it does not know, naming the key and the field', () => {
    const entry = { session_id: 'r/s', pipeline: 'p', pipeline_version: '1', state: 'done', attempts: 1, updated_at: 'x', code_version: 'c' };
    expect(LEDGER_ENTRY.parse(JSON.stringify(entry), 'k').state).toBe('done');
    const e = refusal(() => LEDGER_ENTRY.parse(JSON.stringify({ ...entry, state: 'finished' }), 'catalog/ledger/p/1/r/s.json'));
    expect(e.message).toMatch(/^ledger entry catalog\/ledger\/p\/1\/r\/s\.json cannot be read: state must be one of/);
    expect(e.hint).toMatch(/recpipe process --session/);
  });
});
