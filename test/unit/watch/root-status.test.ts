/** `recpipe status --root` reads the heartbeat's age on the injected clock, not the wall clock. */
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { rootStatus } from '../../../src/cli/commands/root-status.js';
import { saveState, watchDir } from '../../../src/features/watch/state.js';
import { join } from 'node:path';
import { acquireLock } from '../../../src/adapters/fs/lock-file.js';
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

describe('rootStatus: is the daemon running?', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const clock = new ManualClock('2026-01-01T00:00:10.000Z');

  it('says "not running" when the pid in the state is gone and nothing holds the lock (kill -9)', async () => {
    const home = tempDir('rp-rootstatus-');
    const root = tempDir('rp-rootstatus-root-');
    // A pid far above pid_max: no process has it.
    await saveState(watchDir(home, root), { root, pid: 2 ** 30, sessions: {}, heartbeatAt: at });
    const r = await rootStatus(home, root, clock);
    expect(r.data.running).toBe(false);
    expect(r.human).toMatch(/daemon not running: pid 1073741824 is gone/);
  });

  it('says "not running" after a clean stop, and "running" while a live process holds the lock', async () => {
    const home = tempDir('rp-rootstatus-');
    const root = tempDir('rp-rootstatus-root-');
    await saveState(watchDir(home, root), { root, stoppedAt: at, sessions: {}, heartbeatAt: at });
    expect((await rootStatus(home, root, clock)).human).toMatch(/daemon not running: stopped at 2026-01-01T00:00:00.000Z/);
    const lock = await acquireLock(join(watchDir(home, root), 'lock'), root);
    try {
      const r = await rootStatus(home, root, clock);
      expect(r.data.running).toBe(true);
      expect(r.human).toMatch(new RegExp(`daemon running \\(pid ${process.pid}`));
    } finally {
      await lock.release();
    }
  });

  it('wraps a long reason at word boundaries instead of cutting it mid-word', async () => {
    const home = tempDir('rp-rootstatus-');
    const root = tempDir('rp-rootstatus-root-');
    const reason = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    await saveState(watchDir(home, root), { root, sessions: { '20210101_000000': { state: 'invalid', reason, updatedAt: at } } });
    const r = await rootStatus(home, root, clock);
    const cells = r.human
      .split('\n')
      .map((l) => l.split('│')[3]?.trim())
      .filter(Boolean)
      .slice(1);
    expect(cells.join(' ')).toBe(reason);
    expect(r.data.sessions['20210101_000000'].reason).toBe(reason);
  });
});
