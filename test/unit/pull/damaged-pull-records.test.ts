/** A pull's range record and its manifest, damaged: the resume or the earlier list is dropped with a warning; verify --pulled names the field. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecpipeError } from '../../../src/core/errors.js';
import type { Reporter } from '../../../src/core/ports.js';
import { loadDone, recordPath } from '../../../src/features/pull/range-record.js';
import { loadManifestFiles } from '../../../src/features/pull/local-state.js';
import { checkPulledDir } from '../../../src/features/audit/pulled-dir.js';
import type { PullItem } from '../../../src/features/pull/plan.js';
import { tempDir } from '../../helpers/tmp.js';

const f = { key: 'lake/a.bin', bytes: 10, sha256: 'a'.repeat(64) } as PullItem;
const record = { key: f.key, bytes: 10, sha256: f.sha256, rangeBytes: 4, bootId: 'boot', done: [0, 1] };
const quiet: Reporter = { step: () => {}, progress: () => {}, info: () => {}, warn: () => {}, succeed: () => {}, fail: () => {} };

describe('a damaged download range record', () => {
  it('drops the resume and names the file and field', async () => {
    const path = join(tempDir('rp-ranges-'), 'a.bin');
    writeFileSync(recordPath(path), JSON.stringify(record));
    expect([...(await loadDone(path, f, 4, 'boot'))]).toEqual([0, 1]);
    writeFileSync(recordPath(path), JSON.stringify({ ...record, done: [0, '1'] }));
    const seen: RecpipeError[] = [];
    expect((await loadDone(path, f, 4, 'boot', (e) => seen.push(e))).size).toBe(0);
    expect(seen.map((e) => e.message)).toEqual([`download range record ${recordPath(path)} cannot be read: done[1] must be a whole number (got "1")`]);
  });
});

describe('a damaged pull manifest', () => {
  const file = { path: 'x/a.bin', sessionId: 'rig/s', bytes: 3, sha256: 'b'.repeat(64) };

  it('is read as no earlier list by pull, with a warning naming the field', async () => {
    const path = join(tempDir('rp-pullman-'), 'recpipe-pull.json');
    writeFileSync(path, JSON.stringify({ files: [file] }));
    expect([...(await loadManifestFiles(path)).keys()]).toEqual(['x/a.bin']);
    writeFileSync(path, JSON.stringify({ files: [{ ...file, bytes: null }] }));
    const seen: RecpipeError[] = [];
    expect((await loadManifestFiles(path, (e) => seen.push(e))).size).toBe(0);
    expect(seen.map((e) => e.message)).toEqual([`pull manifest ${path} cannot be read: files[0].bytes must be a whole number (got null)`]);
  });

  it('makes verify --pulled fail with an integrity error naming the file and field', async () => {
    const dir = tempDir('rp-pullman-');
    writeFileSync(join(dir, 'recpipe-pull.json'), JSON.stringify({ files: [{ ...file, sha256: 7 }] }));
    await expect(checkPulledDir(dir, quiet)).rejects.toMatchObject({
      code: 'integrity',
      message: `pull manifest ${join(dir, 'recpipe-pull.json')} cannot be read: files[0].sha256 must be a string (got 7)`,
    });
  });
});
