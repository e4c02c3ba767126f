/** Damaged local records (a pull's state file, an upload journal) are named and not trusted; the work goes on from scratch. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { JournalStore } from '../../../src/adapters/fs/journal-store.js';
import type { RecpipeError } from '../../../src/core/errors.js';
import { loadState } from '../../../src/features/pull/local-state.js';
import { tempDir } from '../../helpers/tmp.js';

const entry = { sha256: 'a'.repeat(64), size: 3, mtimeMs: 1, synced: true };

describe('a damaged pull state file', () => {
  it('is read in both formats when whole', async () => {
    const dir = tempDir('rp-pullstate-');
    writeFileSync(join(dir, 's.json'), JSON.stringify({ bootId: 'b', files: { 'x/a.bin': entry } }));
    expect(await loadState(join(dir, 's.json'))).toEqual({ bootId: 'b', files: { 'x/a.bin': entry } });
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ 'x/a.bin': entry }));
    expect(await loadState(join(dir, 'old.json'))).toEqual({ files: { 'x/a.bin': entry } });
  });

  it('is named with the field and read as empty (every file hashed again), cut short or mistyped', async () => {
    const dir = tempDir('rp-pullstate-');
    const path = join(dir, '.recpipe-pull-state.json');
    const seen: RecpipeError[] = [];
    writeFileSync(path, JSON.stringify({ bootId: 'b', files: { 'x/a.bin': { ...entry, size: '3' } } }));
    expect(await loadState(path, (e) => seen.push(e))).toEqual({ files: {} });
    writeFileSync(path, JSON.stringify({ bootId: 'b', files: { 'x/a.bin': entry } }).slice(0, 30));
    expect(await loadState(path, (e) => seen.push(e))).toEqual({ files: {} });
    expect(seen.map((e) => e.message)).toEqual([
      `pull state file ${path} cannot be read: files.x/a.bin.size must be a whole number (got "3")`,
      expect.stringMatching(new RegExp(`^pull state file .*cannot be read: it is not whole JSON`)),
    ]);
  });
});

describe('a damaged upload journal', () => {
  it('is warned about naming the file and field, and the upload starts from an empty journal', async () => {
    const home = tempDir('rp-journal-');
    const logger = new MemoryLogger();
    const store = new JournalStore(home, logger);
    const path = store.path('rig-a', '20210301_100000');
    mkdirSync(join(home, 'journal', 'rig-a'), { recursive: true });
    const journal = {
      version: 1,
      rig: 'rig-a',
      session: '20210301_100000',
      dir: '/d',
      files: { 'a.bin': { name: 'a.bin', size: 3, mtimeMs: 1, doneParts: [{ partNumber: '1' }], done: false } },
    };
    writeFileSync(path, JSON.stringify(journal));
    expect(await store.load('rig-a', '20210301_100000', '/d')).toEqual({ version: 1, rig: 'rig-a', session: '20210301_100000', dir: '/d', files: {} });
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'journal.unreadable',
        fields: expect.objectContaining({
          path,
          error: `upload journal ${path} cannot be read: files.a.bin.doneParts[0].partNumber must be a whole number (got "1")`,
        }),
      }),
    ]);
    journal.files['a.bin'].doneParts = [];
    writeFileSync(path, JSON.stringify(journal));
    expect((await store.load('rig-a', '20210301_100000', '/d')).files['a.bin'].size).toBe(3);
  });
});
