import { histogram, perDay } from '../../../src/features/ui/pages/charts.js';
import { sortSessions } from '../../../src/features/ui/pages/sessions.js';
import { foldRigEvents, parseRigEvent } from '../../../src/features/ui/rig-events.js';
import type { SessionView } from '../../../src/features/ui/source.js';
import type { RigEventName } from '../../../src/core/events/rig-events.js';

const s = (id: string, recorded_at: string, total_bytes: number, variables: Record<string, string | number>): SessionView => ({
  session_id: id,
  rig: id.split('/')[0],
  session: id.split('/')[1],
  recorded_at,
  uploaded_at: '',
  file_count: 1,
  total_bytes,
  manifest_sha256: '',
  variables,
});
const A = s('r/20210201_090000', '2021-02-01 09:00:00', 100, { fatigue: 10, model: 'b' });
const B = s('r/20210201_100000', '2021-02-01 10:00:00', 50, { fatigue: 9 });
const C = s('r/20210203_090000', '2021-02-03 09:00:00', 7, { fatigue: 2, model: 'a' });

describe('sessions table sorting', () => {
  it('sorts numbers as numbers, both ways, missing values last', () => {
    expect(sortSessions([A, B, C], { column: 'fatigue', dir: 'asc' }).map((x) => x.variables.fatigue)).toEqual([2, 9, 10]);
    expect(sortSessions([A, B, C], { column: 'fatigue', dir: 'desc' }).map((x) => x.variables.fatigue)).toEqual([10, 9, 2]);
    expect(sortSessions([A, B, C], { column: 'model', dir: 'desc' }).map((x) => x.session_id)).toEqual([A.session_id, C.session_id, B.session_id]);
  });
});

describe('chart data', () => {
  it('counts sessions and bytes per recording day', () => {
    expect(perDay([C, A, B])).toEqual({ days: ['2021-02-01', '2021-02-03'], sessions: [2, 1], bytes: [150, 7] });
  });

  it('bars per distinct value when few, equal-width bins otherwise', () => {
    expect(histogram([3, 1, 3, 5])).toEqual({ labels: ['1', '3', '5'], counts: [1, 2, 1] });
    const h = histogram(
      Array.from({ length: 100 }, (_, i) => i),
      4,
    );
    expect(h.counts).toEqual([25, 25, 25, 25]);
    expect(h.labels[0]).toBe('0–24.8');
  });
});

describe('rig events', () => {
  const line = (o: object) => JSON.stringify({ time: '2026-01-01T00:00:09Z', level: 'info', component: 'client-events', source: 'client', ...o });
  it('reads only client events that name a rig', () => {
    expect(parseRigEvent(line({ event: 'client.rig.heartbeat', rig: 'r1', clientTime: '2026-01-01T00:00:01Z' }))).toEqual({
      rig: 'r1',
      event: 'rig.heartbeat',
      time: '2026-01-01T00:00:01Z',
      sessionId: undefined,
    });
    expect(parseRigEvent(line({ event: 'process.done', rig: 'r1' }))).toBeUndefined();
    expect(parseRigEvent('{"event":"client.x" broken')).toBeUndefined();
  });

  it('keeps the last heartbeat and upload, and each session under its latest event', () => {
    const e = (event: RigEventName, time: string, sessionId?: string) => ({ rig: 'r1', event, time, sessionId });
    const rigs = foldRigEvents([
      e('session.failed', '2026-01-01T00:00:05Z', 'r1/20210101_000000'),
      e('session.ready', '2026-01-01T00:00:01Z', 'r1/20210101_000000'),
      e('session.uploaded', '2026-01-01T00:00:06Z', 'r1/20210101_000000'),
      e('session.ready', '2026-01-01T00:00:07Z', 'r1/20210102_000000'),
      e('session.invalid', '2026-01-01T00:00:02Z', 'r1/20210231_000000'),
      e('rig.heartbeat', '2026-01-01T00:00:08Z'),
      e('rig.heartbeat', '2026-01-01T00:00:03Z'),
    ]);
    expect(rigs.get('r1')).toEqual({
      rig: 'r1',
      lastHeartbeat: '2026-01-01T00:00:08Z',
      lastUpload: '2026-01-01T00:00:06Z',
      waiting: ['r1/20210102_000000'],
      invalid: ['r1/20210231_000000'],
      failed: [],
      catalogued: 0,
    });
  });
});
