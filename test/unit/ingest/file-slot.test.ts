import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_SAMPLES } from '../../../src/core/ingest/part-size.js';
import { emptyJournal, type Journal, type JournalFile } from '../../../src/core/ingest/journal-types.js';
import type { Logger } from '../../../src/core/ports.js';
import type { SessionFile } from '../../../src/core/session/validation-types.js';
import { BufferPool } from '../../../src/ingest/buffer-pool.js';
import { sendInSlot } from '../../../src/ingest/file-slot.js';
import { PartSizer } from '../../../src/ingest/part-sizer.js';
import type { SendContext } from '../../../src/ingest/send-file.js';
import { Window } from '../../../src/ingest/window.js';

const logger: Logger = { log: () => undefined, child: () => logger };
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rp-slot-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, size: number): { f: SessionFile; entry: JournalFile } {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(size, 1));
  return { f: { name, path, role: 'data', size, mtimeMs: 0 }, entry: { name, size, mtimeMs: 0, partSize: 1, doneParts: [], done: false } };
}

/** A context whose store records each PUT's size; `hold(key, n)` keeps a file's part `n` open until released. */
function context(journal: Journal, sizer: PartSizer) {
  const puts: { file: string; part: number; size: number }[] = [];
  const held = new Map<string, () => void>();
  const holding = new Set<string>();
  const c = {
    deps: {
      api: {
        startMultipart: async () => ({ uploadId: 'u-new' }),
        presignPart: async (_t: string, r: { file: string; partNumber: number }) => ({
          url: 'http://x',
          method: 'PUT',
          headers: {},
          key: `${r.file}#${r.partNumber}`,
        }),
        completeMultipart: async () => ({ status: 'completed' }),
      },
      transport: {
        put: async (url: { key: string }, body: { buffer: Buffer }) => {
          const [name, part] = url.key.split('#');
          puts.push({ file: name, part: Number(part), size: body.buffer.length });
          if (holding.has(url.key)) await new Promise<void>((r) => held.set(url.key, r));
          return { etag: '"e"' };
        },
      },
      journals: { save: async () => undefined },
      logger,
    },
    tokens: { get: async () => ({ token: 't' }) },
    retry: (_what: string, fn: () => Promise<unknown>) => fn(),
    journal,
    session: '20210301_100000',
    options: { partSize: 4, multipartThreshold: 4, concurrency: 8 },
    pool: new BufferPool(64),
    sizer,
    window: new Window(8),
    progress: () => undefined,
    log: logger,
    sha256Of: async () => '',
  } as unknown as SendContext;
  return { c, puts, hold: (key: string) => holding.add(key), release: (key: string) => held.get(key)?.() };
}

const pause = () => new Promise((r) => setTimeout(r, 1));

describe('multipart files in their slots', () => {
  it('gives a new file the size the sizer chose and records it; a file under way keeps the size it began with', async () => {
    const journal = emptyJournal('rig', '20210301_100000', dir);
    let now = 0;
    const sizer = new PartSizer(4, 8, 64, () => now);
    // A first file probed: its PUTs were quick and far between, so files begun from now on get 8.
    await sizer.forNewFile();
    sizer.starting();
    for (let k = 0; k < MIN_SAMPLES; k++) sizer.sent(4, (now += 100) - 1);
    expect(sizer.choice).toBe(8);
    const fresh = file('fresh.bin', 20);
    const resumed = file('resumed.bin', 20);
    Object.assign(resumed.entry, {
      partSize: 4,
      uploadId: 'u-old',
      doneParts: [{ partNumber: 1, etag: '"e"', checksum: { algorithm: 'CRC32C', value: 'x' } }],
    });
    journal.files = { [fresh.f.name]: fresh.entry, [resumed.f.name]: resumed.entry };
    const { c, puts } = context(journal, sizer);
    const slots = new Window(2);
    await Promise.all([sendInSlot(c, fresh.f, fresh.entry, slots), sendInSlot(c, resumed.f, resumed.entry, slots)]);
    expect(fresh.entry.partSize).toBe(8);
    expect(
      puts
        .filter((p) => p.file === 'fresh.bin')
        .sort((x, y) => x.part - y.part)
        .map((p) => p.size),
    ).toEqual([8, 8, 4]);
    // Parts 2-5 of 4 bytes, cut as before the restart; part 1 was sent then.
    expect(resumed.entry.partSize).toBe(4);
    // (Parts go in parallel: compare them in part order.)
    const resumedPuts = puts.filter((p) => p.file === 'resumed.bin').sort((x, y) => x.part - y.part);
    expect(resumedPuts.map((p) => [p.part, p.size])).toEqual([
      [2, 4],
      [3, 4],
      [4, 4],
      [5, 4],
    ]);
  });

  it('frees the slot once every part of a file has started, so a part still waiting for its answer does not hold the next file back', async () => {
    const journal = emptyJournal('rig', '20210301_100000', dir);
    const sizer = new PartSizer(4, 4, 64, () => 0);
    const a = file('a.bin', 8);
    const b = file('b.bin', 8);
    journal.files = { [a.f.name]: a.entry, [b.f.name]: b.entry };
    const { c, puts, hold, release } = context(journal, sizer);
    hold('a.bin#2');
    const slot = new Window(1);
    const sentA = sendInSlot(c, a.f, a.entry, slot);
    const sentB = sendInSlot(c, b.f, b.entry, slot);
    // Reading a part goes through the disk's thread pool: wait for b.bin's first PUT, however long the machine takes.
    for (let i = 0; i < 5000 && !puts.some((p) => p.file === 'b.bin'); i++) await pause();
    // b.bin started while a.bin's last part was still open.
    expect(puts.map((p) => `${p.file}#${p.part}`)).toEqual(expect.arrayContaining(['a.bin#2', 'b.bin#1']));
    release('a.bin#2');
    await Promise.all([sentA, sentB]);
    expect(a.entry.doneParts).toHaveLength(2);
  });
});
