/** The one session state every view reads (core/audit/session-state.ts). */
import { sessionState, stateCounts } from '../../../src/core/audit/session-state.js';
import type { Finding } from '../../../src/core/audit/findings.js';

const id = 'rig-a/20210301_100000';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const done = { state: 'done' as const, attempts: 1, updated_at: '' };

describe('one session state', () => {
  it('is done and green only when processing finished, nothing is held and verify found nothing', () => {
    expect(sessionState({ sessionId: id, ledger: done, now: NOW })).toMatchObject({ kind: 'done', label: 'done', tone: 'ok', reasons: [] });
    expect(sessionState({ sessionId: id, now: NOW })).toMatchObject({ kind: 'not_processed', tone: 'pending' });
  });

  it('never reports a session with undecoded data files as done: amber, with the reason and the fix', () => {
    const s = sessionState({
      sessionId: id,
      ledger: {
        ...done,
        state: 'done_with_gaps',
        undecoded: ['a.bin'],
        dropped: [{ file: 'a.bin', bytes: 8, reason: 'not decoded: the metadata gives no valid channels / sample_format' }],
      },
      now: NOW,
    });
    expect(s).toMatchObject({ kind: 'done_with_gaps', label: 'done with gaps', tone: 'attention' });
    expect(s.reasons[0].message).toBe('a.bin was not decoded (not decoded: the metadata gives no valid channels / sample_format)');
    expect(s.reasons[0].next).toMatch(/channels \/ sample_format/);
  });

  it('is red for a dead session and for damage the last verify found, whatever the ledger says', () => {
    expect(sessionState({ sessionId: id, ledger: { ...done, state: 'dead', attempts: 3, last_error: 'boom' }, now: NOW })).toMatchObject({
      kind: 'dead',
      label: 'dead after 3 attempts',
      tone: 'failing',
      reasons: [expect.objectContaining({ message: 'processing failed 3 times: boom', next: expect.stringContaining(`recpipe process --session ${id}`) })],
    });
    const damage: Finding = {
      category: 'raw_checksum_mismatch',
      sessionId: id,
      key: 'raw/x',
      message: 'SHA-256 a in the store, b in the manifest',
      next: 'follow the runbook',
    };
    const s = sessionState({ sessionId: id, ledger: done, findings: [damage], checkedAt: '2026-03-01T03:17:00Z', now: NOW });
    expect(s).toMatchObject({ kind: 'done', tone: 'failing', checkedAt: '2026-03-01T03:17:00Z' });
    expect(s.reasons).toEqual([
      { source: 'verify', category: 'raw_checksum_mismatch', message: 'raw/x: SHA-256 a in the store, b in the manifest', next: 'follow the runbook' },
    ]);
  });

  it('names a held revision once (not again from the verify finding) and counts it', () => {
    const held: Finding = { category: 'revision_held', sessionId: id, message: 'held' };
    const s = sessionState({ sessionId: id, ledger: done, revisions: { served: 1, newest: 2, held: [2] }, findings: [held], now: NOW });
    expect(s.tone).toBe('attention');
    expect(s.reasons.map((r) => [r.source, r.message])).toEqual([
      ['revisions', 'revision 2 changes archived bytes and is held for review; revision 1 is served'],
    ]);
    expect(stateCounts([s, sessionState({ sessionId: 'rig-a/20210302_100000', ledger: done, now: NOW })])).toMatchObject({
      done: 2,
      held: 1,
      attention: 1,
      failing: 0,
    });
  });
});
