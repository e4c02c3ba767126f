/**
 * Alarms match event names exactly (issue 14 item 5): every ending ledger state logs a registered
 * name, so renaming a state breaks this test instead of silencing the DeadSessions alarm. The
 * alarm side is pinned in test/infra/stack.test.ts › "filters only on registered event names".
 */
import { EVENT_NAMES, EVENTS, PROCESS_END_EVENTS, type EndState } from '../../../src/core/events.js';
import { fail } from '../../../src/core/process/ledger.js';
import type { LedgerEntry } from '../../../src/core/catalog/types.js';

const running = (attempts: number) => ({ session_id: 'rig-a/20210101_000000', state: 'running', attempts }) as unknown as LedgerEntry;
const now = new Date('2026-01-01T00:00:00Z');

describe('the event registry', () => {
  it.each([
    ['a retryable failure', fail(running(1), now, new Error('x'), 3), EVENTS.processFailed],
    ['the last attempt', fail(running(3), now, new Error('x'), 3), EVENTS.processDead],
    ['a session missing files', fail(running(1), now, new Error('x'), 3, true), EVENTS.processIncomplete],
  ])('maps %s to its registered event', (_what, entry, event) => {
    expect(PROCESS_END_EVENTS[entry.state as EndState]).toBe(event);
  });

  it('holds each name once, and the dead-sessions alarm name is process.dead', () => {
    expect(EVENT_NAMES.size).toBe(Object.keys(EVENTS).length);
    expect(EVENTS.processDead).toBe('process.dead');
  });
});
