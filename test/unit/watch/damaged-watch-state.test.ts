/** A damaged watch state file: the daemon warns naming the file and field and scans afresh; `status --root` says so. */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecpipeError } from '../../../src/core/errors.js';
import { rootStatus } from '../../../src/cli/commands/root-status.js';
import { loadState, saveState, watchDir } from '../../../src/features/watch/state.js';
import { tempDir } from '../../helpers/tmp.js';

describe('a damaged watch state file', () => {
  it('is handed to the caller naming the file and field, and read as a fresh state', async () => {
    const home = tempDir('rp-watchstate-');
    const root = tempDir('rp-watchstate-root-');
    const dir = watchDir(home, root);
    await saveState(dir, { root, sessions: { '20210301_100000': { state: 'uploaded', updatedAt: 't' } } });
    expect((await loadState(dir, root)).sessions['20210301_100000'].state).toBe('uploaded');
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ root, sessions: { '20210301_100000': { state: 'done', updatedAt: 't' } } }));
    const seen: RecpipeError[] = [];
    expect(await loadState(dir, root, (e) => seen.push(e))).toEqual({ root, sessions: {} });
    expect(seen.map((e) => e.message)).toEqual([
      `watch state file ${join(dir, 'state.json')} cannot be read: sessions.20210301_100000.state must be one of "waiting", "invalid", "queued", "uploading", "uploaded", "failed" (got "done")`,
    ]);
  });

  it('makes `status --root` fail with an integrity error naming the file, not "no watcher has run"', async () => {
    const home = tempDir('rp-watchstate-');
    const root = tempDir('rp-watchstate-root-');
    const dir = watchDir(home, root);
    await mkdir(dir, { recursive: true });
    writeFileSync(join(dir, 'state.json'), '{"root": "/x", "sess');
    await expect(rootStatus(home, root)).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringContaining(`watch state file ${join(dir, 'state.json')} cannot be read: it is not whole JSON`),
    });
  });
});
