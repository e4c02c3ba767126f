import { JournalStore } from '../../../src/adapters/fs/journal-store.js';
import { reconcileFile } from '../../../src/core/ingest/journal-types.js';
import type { LogLevel, Logger } from '../../../src/core/ports.js';
import { tempDir } from '../../helpers/tmp.js';

function memoryLogger(lines: Array<{ event: string; fields: Record<string, unknown> }>): Logger {
  const l: Logger = { log: (_level: LogLevel, event: string, fields: Record<string, unknown> = {}) => void lines.push({ event, fields }), child: () => l };
  return l;
}

describe('JournalStore', () => {
  it('restores a saved journal for the same folder', async () => {
    const store = new JournalStore(tempDir('rp-j-'));
    const j = await store.load('rig-a', '20210301_100000', '/data/20210301_100000');
    reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, undefined).sha256 = 'a'.repeat(64);
    await store.save(j);
    const back = await store.load('rig-a', '20210301_100000', '/data/20210301_100000');
    expect(back.files['a.bin'].sha256).toBe('a'.repeat(64));
  });

  it('coalesces a burst of saves: every caller settles and the newest state is what is on disk', async () => {
    const home = tempDir('rp-j-');
    const store = new JournalStore(home);
    const j = await store.load('rig-a', '20210301_100000', '/d');
    const e = reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, 5);
    const saves: Promise<void>[] = [];
    for (let n = 1; n <= 50; n++) {
      e.doneParts.push({ partNumber: n, etag: `e${n}`, checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } });
      saves.push(store.save(j));
    }
    await Promise.all(saves);
    const back = await new JournalStore(home).load('rig-a', '20210301_100000', '/d');
    expect(back.files['a.bin'].doneParts.map((p) => p.partNumber)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('does not trust a journal made for another folder with the same session name', async () => {
    const lines: Array<{ event: string; fields: Record<string, unknown> }> = [];
    const store = new JournalStore(tempDir('rp-j-'), memoryLogger(lines));
    const j = await store.load('rig-a', '20210301_100000', '/disk1/20210301_100000');
    reconcileFile(j, { name: 'a.bin', size: 10, mtimeMs: 1 }, undefined).sha256 = 'a'.repeat(64);
    await store.save(j);
    const other = await store.load('rig-a', '20210301_100000', '/disk2/20210301_100000');
    expect(other.files).toEqual({});
    expect(other.dir).toBe('/disk2/20210301_100000');
    expect(lines.map((l) => l.event)).toContain('journal.ignored');
  });
});
