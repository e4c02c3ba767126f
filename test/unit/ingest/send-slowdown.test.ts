import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import type { RecpipeError } from '../../../src/core/errors.js';
import { emptyJournal, type JournalFile } from '../../../src/core/ingest/journal-types.js';
import type { Logger } from '../../../src/core/ports.js';
import type { SessionFile } from '../../../src/core/session/validation-types.js';
import { BufferPool } from '../../../src/features/ingest/buffer-pool.js';
import { PartSizer } from '../../../src/features/ingest/part-sizer.js';
import { withRetry } from '../../../src/features/ingest/retry.js';
import { AbortScope } from '../../../src/features/ingest/abort-scope.js';
import type { SendContext } from '../../../src/features/ingest/send-file.js';
import { sendMultipart } from '../../../src/features/ingest/send-multipart.js';
import { Window } from '../../../src/features/ingest/window.js';
import { s3Failure } from '../../../src/features/ingest/put-transport.js';

const logger: Logger = { log: () => undefined, child: () => logger };
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rp-slowdown-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A multipart send of 16 parts through a store that answers SlowDown to the first `slowdowns` PUTs. */
async function send(slowdowns: number) {
  const path = join(dir, `data-${slowdowns}.bin`);
  writeFileSync(path, Buffer.alloc(16 * 1024, 7));
  const f: SessionFile = { name: 'data.bin', path, role: 'data', size: 16 * 1024, mtimeMs: 0 };
  const journal = emptyJournal('rig', '20210301_100000', dir);
  const entry: JournalFile = { name: f.name, size: f.size, mtimeMs: 0, partSize: 1024, uploadId: 'u1', ticket: 't', doneParts: [], done: false };
  journal.files[f.name] = entry;
  const clock = new ManualClock();
  let inFlight = 0;
  let most = 0;
  let answered = 0;
  let started = 0;
  const limits: number[] = [];
  const window = new Window(8);
  const transport = {
    put: async () => {
      started++;
      limits.push(window.limit);
      most = Math.max(most, ++inFlight);
      // Each PUT stays open until the window is full or no part is left to start (reading the
      // parts from disk may be slow on a busy machine), so the figure does not depend on timing.
      for (let i = 0; i < 2000 && inFlight < window.limit && started < 16; i++) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (answered++ < slowdowns) throw s3Failure(503, '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>', 'k');
      return { etag: '"e"' };
    },
    complete: async () => undefined,
  };
  const pool = new BufferPool(8 * 1024);
  let reads = 0;
  const fill = pool.fill.bind(pool);
  pool.fill = (...a) => (reads++, fill(...a));
  const c = {
    deps: {
      api: { completeMultipart: async () => ({ status: 'completed' }) },
      transport,
      journals: { save: async () => undefined },
      logger,
    },
    tokens: { get: async () => ({ token: 't' }) },
    retry: (what: string, fn: () => Promise<unknown>, onRetry?: (e: RecpipeError) => void) =>
      withRetry(fn, undefined, { what, onRetry, retries: 10, sleep: (ms) => clock.sleep(ms) }),
    // URLs signed ahead (url-broker.ts is tested on its own).
    broker: {
      planned: async () => undefined,
      partUrl: async () => ({ url: { url: 'http://x', method: 'PUT', headers: {}, key: 'k' }, checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }),
      completeUrl: async () => ({ url: 'http://x', method: 'POST', headers: {}, key: 'k' }),
      partSent: () => undefined,
    },
    scope: new AbortScope(),
    journal,
    session: '20210301_100000',
    options: { partSize: 1024, multipartThreshold: 1024, concurrency: 8 },
    pool,
    sizer: new PartSizer(1024, 1024, 8 * 1024, () => 0),
    window,
    progress: () => undefined,
    log: logger,
  } as unknown as SendContext;
  await sendMultipart(c, f, entry);
  return {
    most,
    window,
    lowest: Math.min(...limits),
    reads,
    parts: entry.doneParts.length,
    waitedMs: clock.now().getTime() - new Date('2026-01-01T00:00:00.000Z').getTime(),
  };
}

describe('upload on 503 SlowDown', () => {
  it('fills the window when the store keeps up', async () => {
    const r = await send(0);
    expect([r.most, r.window.limit, r.parts, r.waitedMs]).toEqual([8, 8, 16, 0]);
  });

  it('backs off with jitter on the injected clock, lowers the parts in flight, and reads each part from disk once', async () => {
    const r = await send(8);
    expect(r.parts).toBe(16);
    // The first SlowDown cut the window (the parts in flight then answered from before the cut);
    // the parts that went through afterwards grew it back.
    expect(r.lowest).toBe(6);
    expect(r.window.limit).toBe(8);
    expect(r.waitedMs).toBeGreaterThan(0);
    // Retries re-send the part's buffer: 16 parts, 16 reads, however many SlowDowns.
    expect(r.reads).toBe(16);
  });
});
