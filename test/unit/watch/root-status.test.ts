/** `recpipe status --root` reads the heartbeat's age on the injected clock, not the wall clock. */
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { rootStatus } from '../../../src/cli/commands/root-status.js';
import { saveState, watchDir } from '../../../src/watch/state.js';
import { tempDir } from '../../helpers/tmp.js';

describe('rootStatus', () => {
  it('gives the heartbeat age on the injected clock', async () => {
    const home = tempDir('rp-rootstatus-');
    const root = tempDir('rp-rootstatus-root-');
    await saveState(watchDir(home, root), { root, sessions: {}, heartbeatAt: '2026-01-01T00:00:00.000Z' });
    const r = await rootStatus(home, root, new ManualClock('2026-01-01T00:01:30.000Z'));
    expect(r.data.heartbeatAgeSec).toBe(90);
    expect(r.human).toContain('(90 s ago)');
  });
});
