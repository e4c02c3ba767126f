/**
 * The event registry (core/events.ts): every event declared once, with its levels and fields, and
 * the declarations work as guards on lines read back. Alarms match event names exactly (issue 14
 * item 5): every ending ledger state logs a registered name, so renaming a state breaks this test
 * instead of silencing the DeadSessions alarm. The alarm side is pinned in test/infra/stack.test.ts
 * › "count the events docs/operations.md names, ...". Type-level checks: events-types.test.ts.
 */
import { EVENT_NAMES, EVENTS, eventSpec, PROCESS_END_EVENTS, type EndState } from '../../../src/core/events.js';
import { RIG_EVENTS, forwardedRigEvent, isClientEvent } from '../../../src/core/events/rig-events.js';
import { fail } from '../../../src/core/process/ledger.js';
import type { LedgerEntry } from '../../../src/core/catalog/types.js';

const running = (attempts: number) => ({ session_id: 'rig-a/20210101_000000', state: 'running', attempts }) as unknown as LedgerEntry;
const now = new Date('2026-01-01T00:00:00Z');

describe('the event registry', () => {
  it.each([
    ['a retryable failure', fail(running(1), now, new Error('x'), 3), EVENTS.processFailed.name],
    ['the last attempt', fail(running(3), now, new Error('x'), 3), EVENTS.processDead.name],
    ['a session missing files', fail(running(1), now, new Error('x'), 3, true), EVENTS.processIncomplete.name],
  ])('maps %s to its registered event', (_what, entry, event) => {
    expect(PROCESS_END_EVENTS[entry.state as EndState]).toBe(event);
  });

  it('declares each name once, each with a level and a description, and the dead-sessions alarm name is process.dead', () => {
    const specs = Object.values(EVENTS);
    expect(EVENT_NAMES.size).toBe(specs.length);
    for (const s of specs) {
      expect(s.levels.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(10);
      expect(s.name).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/);
    }
    expect(EVENTS.processDead.name).toBe('process.dead');
    expect(eventSpec('process.dead')).toBe(EVENTS.processDead);
    expect(eventSpec('process.deadd')).toBeUndefined();
  });

  it('guards a line read back: the name, a declared level and the declared fields', () => {
    const line = { time: '2026-01-01T00:00:00Z', level: 'error', event: 'process.dead', sessionId: 'rig-a/20210101_000000', attempt: 3, error: 'boom' };
    expect(EVENTS.processDead.is(line)).toBe(true);
    expect(EVENTS.processFailed.is(line)).toBe(false);
    expect(EVENTS.processDead.is({ ...line, level: 'info' })).toBe(false);
    expect(EVENTS.processDead.is({ ...line, attempt: '3' })).toBe(false);
    expect(EVENTS.processDead.is({ ...line, error: undefined })).toBe(false);
    expect(EVENTS.processDead.is({ ...line, integrity: ['a.bin'] })).toBe(true);
    expect(EVENTS.processDead.is({ ...line, integrity: 'a.bin' })).toBe(false);
  });

  it("declares each shipped rig event three times over from one declaration: the rig's event, its own log line and the API's", () => {
    for (const r of Object.values(RIG_EVENTS)) {
      expect(eventSpec(r.name)).toBe(r.local);
      expect(eventSpec(`client.${r.name}`)).toBe(r.forwarded);
      expect(r.forwarded.levels).toEqual(r.levels);
    }
    const ready = {
      time: '2026-01-01T00:00:00Z',
      level: 'info',
      event: 'session.ready',
      sessionId: 'rig-a/20210101_000000',
      message: 'ready',
      data: { session: '20210101_000000' },
    };
    expect(isClientEvent(ready)).toBe(true);
    expect(isClientEvent({ ...ready, event: 'session.redy' })).toBe(false);
    expect(isClientEvent({ ...ready, data: {} })).toBe(false);
    expect(isClientEvent({ ...ready, level: 'warn' })).toBe(false);
    const forwarded = { time: '2026-01-01T00:00:01Z', level: 'info', event: 'client.session.ready', rig: 'rig-a', clientTime: ready.time, data: ready.data };
    expect(forwardedRigEvent(forwarded)?.spec).toBe(RIG_EVENTS.sessionReady);
    expect(forwardedRigEvent({ ...forwarded, event: 'client.session.redy' })).toBeUndefined();
    expect(forwardedRigEvent({ ...forwarded, event: 'session.ready' })).toBeUndefined();
  });
});
