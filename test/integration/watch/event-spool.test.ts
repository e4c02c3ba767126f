import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientEvent } from '../../../src/core/api.js';
import { EventSpool } from '../../../src/features/watch/event-spool.js';
import { RecpipeError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/tmp.js';

const ev = (n: number): ClientEvent => ({
  time: '2026-01-01T00:00:00.000Z',
  level: 'info',
  event: 'rig.heartbeat',
  message: `event ${n}`,
  data: { queued: 0 },
});
const line = (n: number) => JSON.stringify(ev(n)) + '\n';
const numbers = (events: ClientEvent[]) => events.map((e) => Number(e.message!.split(' ')[1]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A send that records what reached "the API" and can be told to fail its nth call. */
function api(failOnCall?: number) {
  const got: ClientEvent[] = [];
  const calls: number[] = [];
  let call = 0;
  const send = async (events: ClientEvent[]) => {
    if (++call === failOnCall) throw new Error('offline');
    calls.push(events.length);
    got.push(...events);
  };
  return { got, calls, send };
}

/**
 * The rig's event spool (src/features/watch/event-spool.ts) loses nothing when the daemon dies mid-send:
 * each case leaves the files exactly as a process killed at that point would, then a new spool
 * (the restarted daemon) flushes.
 */
describe('the rig event spool', () => {
  it('ships events oldest first in chunks of 100 and leaves no file behind', async () => {
    // Prepare
    const dir = tempDir('rp-spool-');
    const spool = new EventSpool(dir);
    for (const n of range(1, 250)) await spool.add(ev(n));
    const a = api();
    // Act
    const sent = await spool.flush(a.send);
    // Assess
    expect(sent).toBe(250);
    expect(a.calls).toEqual([100, 100, 50]);
    expect(numbers(a.got)).toEqual(range(1, 250));
    expect(readdirSync(dir)).toEqual([]);
    expect(await spool.flush(a.send)).toBe(0);
  });

  it('keeps what a failed send did not deliver and sends it before events added meanwhile', async () => {
    const dir = tempDir('rp-spool-');
    const spool = new EventSpool(dir);
    for (const n of range(1, 250)) await spool.add(ev(n));
    const down = api(2);
    await expect(spool.flush(down.send)).rejects.toThrow('offline');
    for (const n of range(251, 252)) await spool.add(ev(n));
    const up = api();
    expect(await spool.flush(up.send)).toBe(152);
    // Every event reached the API once, in order.
    expect(numbers([...down.got, ...up.got])).toEqual(range(1, 252));
  });

  it('after a kill right after the batch was set aside, sends it and the newer events (the old spool overwrote it)', async () => {
    // Prepare: the state of a daemon killed after renaming events.jsonl, before any chunk went.
    const dir = tempDir('rp-spool-');
    writeFileSync(join(dir, 'events.jsonl.sending'), range(1, 3).map(line).join(''));
    writeFileSync(join(dir, 'events.jsonl'), range(4, 5).map(line).join(''));
    const a = api();
    // Act
    const sent = await new EventSpool(dir).flush(a.send);
    // Assess
    expect(sent).toBe(5);
    expect(numbers(a.got)).toEqual(range(1, 5));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('after a kill between chunks, resumes after the last chunk recorded as sent', async () => {
    const dir = tempDir('rp-spool-');
    writeFileSync(join(dir, 'events.jsonl.sending'), range(1, 250).map(line).join(''));
    writeFileSync(join(dir, 'events.jsonl.sent'), '100\n');
    const a = api();
    expect(await new EventSpool(dir).flush(a.send)).toBe(150);
    expect(numbers(a.got)).toEqual(range(101, 250));
  });

  it('after a kill once the batch was gone but not its progress, the progress does not skip the next batch', async () => {
    const dir = tempDir('rp-spool-');
    writeFileSync(join(dir, 'events.jsonl.sent'), '100\n100\n');
    writeFileSync(join(dir, 'events.jsonl'), range(1, 3).map(line).join(''));
    const a = api();
    expect(await new EventSpool(dir).flush(a.send)).toBe(3);
    expect(numbers(a.got)).toEqual(range(1, 3));
  });

  it('after a kill mid-append, skips the torn line and keeps the next event on a line of its own', async () => {
    const dir = tempDir('rp-spool-');
    appendFileSync(join(dir, 'events.jsonl'), line(1) + line(2).slice(0, 20));
    const spool = new EventSpool(dir);
    await spool.add(ev(3));
    const a = api();
    expect(await spool.flush(a.send)).toBe(2);
    expect(numbers(a.got)).toEqual([1, 3]);
  });

  it('sets aside an event the API refuses as malformed (400) and delivers every other one, later ones included', async () => {
    // Prepare: event 150 is one this API does not declare (a rig upgraded before its API).
    const dir = tempDir('rp-spool-');
    const spool = new EventSpool(dir);
    for (const n of range(1, 250)) await spool.add(ev(n));
    const got: ClientEvent[] = [];
    const strictApi = async (events: ClientEvent[]) => {
      if (events.some((e) => e.message === 'event 150'))
        throw new RecpipeError('usage', 'invalid request: events[49].event is not an event rigs send', { retryable: false });
      got.push(...events);
    };
    // Act
    const sent = await spool.flush(strictApi);
    await spool.add(ev(251));
    const later = await spool.flush(strictApi);
    // Assess: nothing lost, nothing stuck; the refused event is kept for a person.
    expect([sent, later]).toEqual([249, 1]);
    expect(numbers(got)).toEqual(range(1, 251).filter((n) => n !== 150));
    expect(readdirSync(dir)).toEqual(['events.jsonl.refused']);
    expect(readFileSync(join(dir, 'events.jsonl.refused'), 'utf8')).toBe(line(150));
  });

  it('keeps a batch whole when the API is only unreachable (nothing set aside)', async () => {
    const dir = tempDir('rp-spool-');
    const spool = new EventSpool(dir);
    for (const n of range(1, 3)) await spool.add(ev(n));
    const down = async () => {
      throw new RecpipeError('unavailable', 'API unreachable');
    };
    await expect(spool.flush(down)).rejects.toThrow('unreachable');
    expect(readdirSync(dir).sort()).toEqual(['events.jsonl.sending']);
  });
});
