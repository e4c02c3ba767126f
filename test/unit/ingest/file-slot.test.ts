import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_SAMPLES } from '../../../src/core/ingest/part-size.js';
import { emptyJournal, type Journal, type JournalFile } from '../../../src/core/ingest/journal-types.js';
import type { Logger } from '../../../src/core/ports.js';
import type { SessionFile } from '../../../src/core/session/validation-types.js';
import { AbortScope } from '../../../src/features/ingest/abort-scope.js';
import { BufferPool } from '../../../src/features/ingest/buffer-pool.js';
import { sendInSlot } from '../../../src/features/ingest/file-slot.js';
import { planMultipartFiles } from '../../../src/features/ingest/part-planner.js';
import { PartSizer } from '../../../src/features/ingest/part-sizer.js';
import type { SendContext } from '../../../src/features/ingest/send-file.js';
import type { UrlBroker } from '../../../src/features/ingest/url-broker.js';
import { Window } from '../../../src/features/ingest/window.js';

const logger: Logger = { log: () => undefined, child: () => logger };
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rp-slot-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, size: number): { f: SessionFile; entry: JournalFile } {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(size, 1));
  return { f: { name, path, role: 'data', size, mtimeMs: 0 }, entry: { name, size, mtimeMs: 0, partSize: 4, doneParts: [], done: false } };
}

/** A context whose store records each PUT's size; `hold(key, n)` keeps a file's part `n` open until released. */
function context(journal: Journal) {
  const puts: { file: string; part: number; size: number }[] = [];
  const held = new Map<string, () => void>();
  const holding = new Set<string>();
  const c = {
    deps: {
      api: { completeMultipart: async () => ({ status: 'completed' }) },
      transport: {
        put: async (url: { key: string }, body: { buffer: Buffer }) => {
          const [name, part] = url.key.split('#');
          puts.push({ file: name, part: Number(part), size: body.buffer.length });
          if (holding.has(url.key)) await new Promise<void>((r) => held.set(url.key, r));
          return { etag: '"e"' };
        },
        complete: async () => undefined,
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
    sizer: new PartSizer(4, 4, 64, () => 0),
    broker: {
      planned: async () => undefined,
      partUrl: async (name: string, n: number) => ({
        url: { url: 'http://x', method: 'PUT', headers: {}, key: `${name}#${n}` },
        checksum: { algorithm: 'CRC32C', value: 'x' },
      }),
      completeUrl: async () => ({ url: 'http://x', method: 'POST', headers: {}, key: 'k' }),
      partSent: () => undefined,
    },
    scope: new AbortScope(),
    window: new Window(8),
    progress: () => undefined,
    log: logger,
  } as unknown as SendContext;
  return { c, puts, hold: (key: string) => holding.add(key), release: (key: string) => held.get(key)?.() };
}

const pause = () => new Promise((r) => setTimeout(r, 1));

/** A broker that records what is planned, and says when asked that its URLs run low. */
function planningBroker() {
  const planned: [string, number][] = [];
  let low: (() => void) | undefined;
  const broker = {
    planMultipart: (f: SessionFile, entry: JournalFile) => planned.push([f.name, entry.partSize!]),
    runningLow: () => new Promise<void>((r) => (low = r)),
  } as unknown as UrlBroker;
  return { broker, planned, low: () => low?.() };
}

describe('planning the part size of each multipart file', () => {
  it('plans as many files as the slots at the configured size, then waits for the choice and plans every file left at once', async () => {
    let now = 0;
    const sizer = new PartSizer(4, 8, 64, () => now);
    const { broker, planned } = planningBroker();
    const files = ['a', 'b', 'c', 'd'].map((n) => file(`${n}.bin`, 20));
    const resumed = file('r.bin', 20);
    Object.assign(resumed.entry, { partSize: 4, uploadId: 'u-old', ticket: 't' });
    const planning = planMultipartFiles([...files, resumed], { sizer, broker, early: 2 });
    await pause();
    expect(planned).toEqual([
      ['a.bin', 4],
      ['b.bin', 4],
    ]);
    // The first PUTs were quick and far between: files planned from now on get 8.
    sizer.starting();
    for (let k = 0; k < MIN_SAMPLES; k++) sizer.sent(4, (now += 100) - 1);
    await planning;
    expect(planned).toEqual([
      ['a.bin', 4],
      ['b.bin', 4],
      ['c.bin', 8],
      ['d.bin', 8],
      // Under way: the size it began with.
      ['r.bin', 4],
    ]);
  });

  it('plans the next file at the configured size when the URLs would run out before the choice', async () => {
    const sizer = new PartSizer(4, 8, 64, () => 0);
    const { broker, planned, low } = planningBroker();
    const planning = planMultipartFiles(
      ['a', 'b', 'c'].map((n) => file(`${n}.bin`, 20)),
      { sizer, broker, early: 1 },
    );
    await pause();
    expect(planned.map(([n]) => n)).toEqual(['a.bin']);
    low();
    await pause();
    expect(planned.map(([n]) => n)).toEqual(['a.bin', 'b.bin']);
    low();
    await planning;
    expect(planned).toEqual([
      ['a.bin', 4],
      ['b.bin', 4],
      ['c.bin', 4],
    ]);
  });
});

describe('multipart files in their slots', () => {
  it('cuts a file at its planned part size; a file under way sends only its parts not done', async () => {
    const journal = emptyJournal('rig', '20210301_100000', dir);
    const fresh = file('fresh.bin', 20);
    fresh.entry.partSize = 8;
    const resumed = file('resumed.bin', 20);
    Object.assign(resumed.entry, {
      uploadId: 'u-old',
      ticket: 't',
      doneParts: [{ partNumber: 1, etag: '"e"', checksum: { algorithm: 'CRC32C', value: 'x' } }],
    });
    journal.files = { [fresh.f.name]: fresh.entry, [resumed.f.name]: resumed.entry };
    const { c, puts } = context(journal);
    const slots = new Window(2);
    await Promise.all([sendInSlot(c, fresh.f, fresh.entry, slots), sendInSlot(c, resumed.f, resumed.entry, slots)]);
    // (Parts go in parallel: compare them in part order.)
    const of = (name: string) => puts.filter((p) => p.file === name).sort((x, y) => x.part - y.part);
    expect(of('fresh.bin').map((p) => p.size)).toEqual([8, 8, 4]);
    expect(of('resumed.bin').map((p) => [p.part, p.size])).toEqual([
      [2, 4],
      [3, 4],
      [4, 4],
      [5, 4],
    ]);
  });

  it('frees the slot once every part of a file has started, so a part still waiting for its answer does not hold the next file back', async () => {
    const journal = emptyJournal('rig', '20210301_100000', dir);
    const a = file('a.bin', 8);
    const b = file('b.bin', 8);
    journal.files = { [a.f.name]: a.entry, [b.f.name]: b.entry };
    const { c, puts, hold, release } = context(journal);
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
