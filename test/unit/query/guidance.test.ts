/** Query answers that guide: did-you-mean for fields, operators and values; one type per variable. Pure. */
import { didYouMean, editDistance, suggest } from '../../../src/core/suggest.js';
import { compileQuery, variableColumns } from '../../../src/core/query/compile.js';
import { parseTerm } from '../../../src/core/query/filter.js';
import { knownFieldsOf, toFieldInfo } from '../../../src/core/query/fields.js';
import { explainEmpty, type EmptyFacts } from '../../../src/core/query/explain.js';
import { parseDescribe, schemaSql } from '../../../src/core/query/describe.js';

const tables = { sessions: 'sessions', files: 'processed_files' };
const spec = (filters: string[], extra = {}) => ({ terms: filters.map(parseTerm), pipeline: 'default', pipelineVersion: '1', ...extra });
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('suggestions', () => {
  it('count a swap of two letters as one edit and ignore case', () => {
    expect(editDistance('fatigue', 'fatigeu')).toBe(1);
    expect(editDistance('NX-200', 'nx-200')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('offer the nearest candidates only, nearest first', () => {
    expect(suggest('fatige_level', ['fatigue_level', 'temperature_c', 'fatigue'])).toEqual(['fatigue_level']);
    expect(suggest('fatigue', ['fatigue_level', 'hardware_model'])).toEqual(['fatigue_level']);
    expect(suggest('nx-200', ['NX-100', 'NX-200', 'QX-7'])).toEqual(['NX-200', 'NX-100']);
    expect(suggest('zzzz', ['fatigue'])).toEqual([]);
    expect(didYouMean('tempreature_c', ['temperature_c'])).toBe('did you mean temperature_c?');
    expect(didYouMean('x', [])).toBe('');
  });
});

describe('filters as people type them', () => {
  const fields = { numeric: ['fatigue_level', 'temperature_c'], text: ['hardware_model'] };

  it('suggests the field meant when a name is misspelt (fatige_level -> fatigue_level)', () => {
    expect(messageOf(() => compileQuery(spec(['fatige_level>=3']), fields, 'duckdb', tables))).toBe(
      'unknown field "fatige_level"; did you mean fatigue_level?',
    );
    expect(messageOf(() => variableColumns(fields, ['hardware_modle']))).toMatch(/unknown variable "hardware_modle"; did you mean hardware_model\?/);
  });

  it('reads field names ignoring case, and the usual other spellings of operators', () => {
    expect(parseTerm('Fatigue_Level>=3')).toEqual({ field: 'fatigue_level', op: '>=', value: '3' });
    expect(parseTerm('fatigue=>3').op).toBe('>=');
    expect(parseTerm('model==NX').op).toBe('=');
    expect(parseTerm('model<>NX').op).toBe('!=');
    expect(() => compileQuery(spec(['Fatigue_Level>=3']), fields, 'duckdb', tables)).not.toThrow();
  });

  it('says what to write when a term cannot be read', () => {
    const hint = (raw: string) => {
      try {
        parseTerm(raw);
      } catch (e) {
        return (e as { hint: string }).hint;
      }
      return '';
    };
    expect(hint('hardware_model:NX-200')).toMatch(/write hardware_model=NX-200/);
    expect(hint('fatigue')).toMatch(/needs an operator and a value, e\.g\. fatigue>=3/);
    expect(hint('>=3')).toMatch(/starts with a field name/);
  });

  it('names a decimal comma in a numeric filter and the fix', () => {
    expect(messageOf(() => compileQuery(spec(['temperature_c>=22,5']), fields, 'duckdb', tables))).toMatch(/"22,5" is not a number; write 22\.5/);
  });

  it('compares text ignoring case with --ignore-case, the same way on both engines', () => {
    for (const dialect of ['duckdb', 'athena'] as const) {
      const c = compileQuery(spec(['hardware_model=NX-200'], { ignoreCase: true, columns: [] }), fields, dialect, tables);
      expect(c.sql).toMatch(/lower\((s\.text_vars\[\?\]|element_at\(s\.text_vars, \?\))\) = \?/);
      expect(c.params).toEqual(['hardware_model', 'nx-200', 'default', '1']);
    }
  });
});

describe('one type per variable', () => {
  // temperature_c: three sessions wrote numbers, one wrote "22,5" (text).
  const info = toFieldInfo([
    { name: 'temperature_c', type: 'number', sessions: 3 },
    { name: 'temperature_c', type: 'text', sessions: 1 },
    { name: 'hardware_model', type: 'text', sessions: 4 },
  ]);

  it('lists each variable once, under the type most sessions give it, counting the others', () => {
    expect(info).toEqual([
      { name: 'hardware_model', type: 'text', sessions: 4, otherType: 0 },
      { name: 'temperature_c', type: 'number', sessions: 4, otherType: 1 },
    ]);
  });

  it('selects both maps for such a variable and finds the text value with =', () => {
    const fields = knownFieldsOf(info);
    const c = compileQuery(spec(['temperature_c=22,5']), fields, 'duckdb', tables);
    expect(c.variables.find((v) => v.name === 'temperature_c')).toEqual({
      name: 'temperature_c',
      kind: 'numeric',
      alias: 'v1',
      alt: { kind: 'text', alias: 'v1x' },
    });
    expect(c.sql).toContain('s.text_vars[?] = ?');
    expect(c.params).toContain('22,5');
    const n = compileQuery(spec(['temperature_c=22']), fields, 'athena', tables);
    expect(n.sql).toContain('(element_at(s.num_vars, ?) = ? OR element_at(s.text_vars, ?) = ?)');
    expect(() => compileQuery(spec(['temperature_c>=22,5']), fields, 'duckdb', tables)).toThrow(/not a number/);
  });
});

describe('why an empty result is empty', () => {
  const base: EmptyFacts = { sessions: 4, terms: [], together: 0, pipeline: 'default', pipelineVersion: '1', versions: ['default/1'] };
  const term = (raw: string) => parseTerm(raw);

  it('names the filter that matches nothing and the closest values (nx-200 -> NX-200)', () => {
    const lines = explainEmpty({ ...base, terms: [{ term: term('hardware_model=nx-200'), kind: 'text', matches: 0, values: ['NX-100', 'NX-200', 'QX-7'] }] });
    expect(lines[0]).toBe('no session has hardware_model=nx-200; did you mean hardware_model=NX-200 or hardware_model=NX-100?');
  });

  it('gives the range of a number, the values when none is close, and the span of days', () => {
    const lines = explainEmpty({
      ...base,
      terms: [
        { term: term('fatigue>=9'), kind: 'numeric', matches: 0, range: { lo: 1, hi: 5 } },
        { term: term('hardware_model=zzz'), kind: 'text', matches: 0, values: ['QX-7', 'NX-100'] },
      ],
      days: { from: '2030-01-01', matches: 0, first: '2021-02-01', last: '2021-03-01' },
    });
    expect(lines).toEqual([
      'no session has fatigue>=9; fatigue ranges from 1 to 5',
      'no session has hardware_model=zzz; its values: NX-100, QX-7',
      'no session was recorded from 2030-01-01; sessions were recorded from 2021-02-01 to 2021-03-01',
    ]);
  });

  it('says when filters match apart but not together, and when matching sessions lack outputs of the version', () => {
    const apart = explainEmpty({
      ...base,
      terms: [
        { term: term('fatigue>=4'), kind: 'numeric', matches: 2 },
        { term: term('hardware_model=NX-100'), kind: 'text', matches: 1 },
      ],
    });
    expect(apart[0]).toBe('each filter matches sessions, but none matches all of them: fatigue>=4 (2 sessions), hardware_model=NX-100 (1 session)');
    expect(explainEmpty({ ...base, together: 3, pipelineVersion: '2' })[0]).toBe(
      '3 sessions match, but none has outputs of pipeline default version 2; outputs exist for default/1 (--pipeline-version)',
    );
    expect(explainEmpty({ ...base, sessions: 0 })[0]).toMatch(/no sessions yet/);
  });
});

describe('DESCRIBE', () => {
  it('reads DESCRIBE, DESC and SHOW COLUMNS as a schema question, and names a wrong table', () => {
    expect(parseDescribe('DESCRIBE sessions')).toEqual({ table: 'sessions' });
    expect(parseDescribe('desc "recpipe"."processed_files";')).toEqual({ table: 'processed_files' });
    expect(parseDescribe('SHOW TABLES')).toEqual({});
    expect(parseDescribe('SELECT 1')).toBeUndefined();
    expect(messageOf(() => parseDescribe('DESCRIBE session'))).toBe('no table "session"; did you mean sessions?');
    expect(schemaSql('main', 'ledger').params).toEqual(['main', 'ledger']);
  });
});
