/** The one atomic-write helper: old or new content, never half, no temp file left, modes kept. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../../../src/adapters/fs/atomic-write.js';
import { tempDir } from '../../helpers/tmp.js';

describe.each([
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (...a: Parameters<typeof writeFileAtomicSync>) => writeFileAtomicSync(...a)],
])('%s', (_name, write) => {
  it('creates missing folders, replaces the file and leaves no temp file', async () => {
    const dir = tempDir('rp-atomic-');
    const path = join(dir, 'a', 'b', 'state.json');
    await write(path, 'one');
    await write(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['state.json']);
  });

  it('gives a secret mode 0600 whatever the umask, and its folder the asked mode', async () => {
    const dir = tempDir('rp-atomic-');
    const path = join(dir, 'keys', 'keys.json');
    const old = process.umask(0);
    try {
      await write(path, 'secret', { mode: 0o600, dirMode: 0o700 });
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
  });

  it('keeps the old content and removes its temp file when the rename fails', async () => {
    const dir = tempDir('rp-atomic-');
    const path = join(dir, 'busy');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    await expect(write(path, 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['busy']);
    expect(readdirSync(path)).toEqual(['inside']);
  });
});
