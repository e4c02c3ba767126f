/**
 * The URL broker against a fake API and a fake reading pass: URLs are asked for in batches ahead
 * of need, only for parts whose checksum the pass has given, signed again before they expire.
 */
import { crc32c } from '@node-rs/crc32';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import type { PresignedRequest } from '../../../src/core/api.js';
import type { UploadBatchRequest, UploadBatchResponse } from '../../../src/core/api-batch.js';
import { MIN_BATCH } from '../../../src/core/ingest/batch-policy.js';
import type { JournalFile } from '../../../src/core/ingest/journal-types.js';
import type { IngestApi, Logger } from '../../../src/core/ports.js';
import type { SessionFile } from '../../../src/core/session/validation-types.js';
import { crc32cBase64 } from '../../../src/features/ingest/checksums.js';
import type { HashWorker } from '../../../src/features/ingest/hash-worker.js';
import type { TokenSource } from '../../../src/features/ingest/token-source.js';
import { UrlBroker } from '../../../src/features/ingest/url-broker.js';

const MiB = 1024 * 1024;
const logger: Logger = { log: () => undefined, child: () => logger };
const tick = () => new Promise((r) => setImmediate(r));

/** A reading pass that has read `bytes` of each file (block CRCs of zero-filled blocks of 1 MiB). */
function pass() {
  const read = new Map<string, number>();
  const listeners = new Set<() => void>();
  const zeros = crc32c(Buffer.alloc(MiB));
  const hasher = {
    blockSize: MiB,
    blocksOf: (name: string) => {
      const bytes = read.get(name) ?? 0;
      return { blockSize: MiB, crcs: Array.from({ length: Math.ceil(bytes / MiB) }, () => zeros), bytes };
    },
    onProgress: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
  } as unknown as HashWorker;
  return { hasher, read: (name: string, bytes: number) => (read.set(name, bytes), listeners.forEach((l) => l())) };
}

/** An API whose batches answer at once, with URLs that live `ttlSec` by the clock. */
function api(clock: ManualClock, ttlSec = 300) {
  const batches: UploadBatchRequest[] = [];
  const url = (key: string): PresignedRequest => ({
    url: `http://s3/${key}`,
    method: 'PUT',
    headers: {},
    key,
    expiresAt: new Date(clock.now().getTime() + ttlSec * 1000).toISOString(),
  });
  const fake = {
    signBatch: async (_t: string, req: UploadBatchRequest): Promise<UploadBatchResponse> => {
      batches.push(JSON.parse(JSON.stringify(req)) as UploadBatchRequest);
      return {
        signedAt: clock.now().toISOString(),
        ...(req.state ? { state: { session: req.session, rig: 'r', committed: false, objects: [] } } : {}),
        files: req.files.map((f) => ({
          file: f.file,
          key: f.file,
          ...(f.start ? { uploadId: `u-${f.file}`, ticket: `t-${f.file}` } : {}),
          ...(f.parts ? { parts: f.parts.map((p) => ({ ...url(`${f.file}#${p.partNumber}`), partNumber: p.partNumber })) } : {}),
          ...(f.complete ? { complete: url(`${f.file}#complete`) } : {}),
          ...(f.put ? { put: url(f.file) } : {}),
        })),
      };
    },
  } as unknown as IngestApi;
  return { fake, batches };
}

function broker(o: { clock: ManualClock; hasher: HashWorker; api: IngestApi; withState?: boolean; signal?: AbortSignal }) {
  return new UrlBroker({
    api: o.api,
    tokens: { get: async () => ({ token: 't' }) } as unknown as TokenSource,
    session: '20210301_100000',
    hasher: o.hasher,
    retry: (_what, fn) => fn(),
    clock: o.clock,
    now: () => o.clock.now().getTime(),
    log: logger,
    windowBytes: () => 16 * 6 * MiB,
    onStarted: () => undefined,
    signal: o.signal,
    withState: o.withState,
  });
}

const file = (name: string, size: number): { f: SessionFile; entry: JournalFile } => ({
  f: { name, path: `/x/${name}`, role: 'data', size, mtimeMs: 0 },
  entry: { name, size, mtimeMs: 0, partSize: 6 * MiB, doneParts: [], done: false },
});

describe('URLs signed in batches ahead of need', () => {
  it('waits until a batch worth of parts is read, then signs them all (with starts and completions) in one call', async () => {
    const clock = new ManualClock();
    const { hasher, read } = pass();
    const { fake, batches } = api(clock);
    const b = broker({ clock, hasher, api: fake, withState: true });
    const [a, c] = [file('a.bin', 100 * MiB), file('c.bin', 100 * MiB)];
    b.planMultipart(a.f, a.entry);
    b.planMultipart(c.f, c.entry);
    read('a.bin', 60 * MiB);
    await tick();
    // 60 MiB read: less than a batch, and more is coming.
    expect(batches).toHaveLength(0);
    read('a.bin', 100 * MiB);
    read('c.bin', 100 * MiB);
    const url = await b.partUrl('a.bin', 1);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ state: true });
    expect(batches[0].files.map((f) => [f.file, f.start?.partSize, f.parts?.length, f.complete])).toEqual([
      ['a.bin', 6 * MiB, 17, true],
      ['c.bin', 6 * MiB, 17, true],
    ]);
    expect(url.checksum).toEqual({ algorithm: 'CRC32C', value: crc32cBase64(crc32c(Buffer.alloc(6 * MiB))) });
    expect(a.entry).toMatchObject({ uploadId: 'u-a.bin', ticket: 't-a.bin' });
    expect(await b.state).toMatchObject({ committed: false });
    // Every URL of both files came with that one call.
    for (let n = 1; n <= 17; n++) await b.partUrl('c.bin', n);
    await b.completeUrl('a.bin');
    expect(batches).toHaveLength(1);
    b.close();
  });

  it("a first upload's first batch (the state the whole upload waits for) goes once a batch is read, with the single PUTs, without waiting for the rest", async () => {
    const clock = new ManualClock();
    const { hasher, read } = pass();
    const { fake, batches } = api(clock);
    const b = broker({ clock, hasher, api: fake, withState: true });
    let sha!: (c: { algorithm: 'SHA256'; value: string }) => void;
    b.planPut({ name: 'meta.txt', path: '/x/meta.txt', role: 'metadata', size: 10, mtimeMs: 0 }, undefined, new Promise((r) => (sha = r)));
    const [a, c] = [file('a.bin', 100 * MiB), file('c.bin', 100 * MiB)];
    b.planMultipart(a.f, a.entry);
    b.planMultipart(c.f, c.entry);
    read('a.bin', 100 * MiB);
    read('c.bin', 40 * MiB);
    await tick();
    // A batch's worth is read, but the single PUT's SHA-256 is not known yet: the first batch waits for it.
    expect(batches).toHaveLength(0);
    sha({ algorithm: 'SHA256', value: 'x' });
    await tick();
    // No part waits yet, and 60 MiB of c.bin are still to be read: it goes anyway.
    expect(batches).toHaveLength(1);
    expect(batches[0].files.map((f) => [f.file, f.parts?.length ?? 0, f.put ? 'put' : ''])).toEqual([
      ['meta.txt', 0, 'put'],
      ['a.bin', 17, ''],
      ['c.bin', 6, ''],
    ]);
    b.close();
  });

  it('asks for a part only once the reading pass has read it: a part waiting for its URL waits for the pass', async () => {
    const clock = new ManualClock();
    const { hasher, read } = pass();
    const { fake, batches } = api(clock);
    const b = broker({ clock, hasher, api: fake });
    const a = file('a.bin', 20 * MiB);
    b.planMultipart(a.f, a.entry);
    let got = false;
    const waiting = b.partUrl('a.bin', 1).then(() => (got = true));
    read('a.bin', 5 * MiB);
    await tick();
    expect([got, batches.length]).toEqual([false, 0]);
    read('a.bin', 20 * MiB);
    await waiting;
    expect(batches[0].files[0].parts?.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    b.close();
  });

  it('signs a URL again when it is close to expiring, or when its sender found it expired', async () => {
    const clock = new ManualClock();
    const { hasher, read } = pass();
    const { fake, batches } = api(clock, 100);
    const b = broker({ clock, hasher, api: fake });
    const a = file('a.bin', 12 * MiB);
    b.planMultipart(a.f, a.entry);
    read('a.bin', 12 * MiB);
    const first = await b.partUrl('a.bin', 1);
    // Part 2's URL is near its end: it is signed again before it is handed out.
    clock.advance(75_000);
    const second = await b.partUrl('a.bin', 2);
    expect(batches).toHaveLength(2);
    expect(Date.parse(second.url.expiresAt)).toBeGreaterThan(Date.parse(first.url.expiresAt));
    // The store said part 1's URL had expired: its sender asks again, and gets a new one.
    const again = await b.partUrl('a.bin', 1);
    expect(batches).toHaveLength(3);
    expect(batches[2].files[0].parts?.map((p) => p.partNumber)).toEqual([1]);
    expect(again.url.expiresAt).not.toBe(first.url.expiresAt);
    b.close();
  });

  it('signs single PUTs once their SHA-256 is known, an empty file too', async () => {
    const clock = new ManualClock();
    const { fake, batches } = api(clock);
    const b = broker({ clock, hasher: pass().hasher, api: fake });
    b.planPut({ name: 'empty.txt', path: '/x/empty.txt', role: 'data', size: 0, mtimeMs: 0 }, undefined, Promise.resolve({ algorithm: 'SHA256', value: 'x' }));
    await b.putUrl('empty.txt');
    expect(batches[0].files).toEqual([{ file: 'empty.txt', put: { size: 0, checksum: { algorithm: 'SHA256', value: 'x' } } }]);
    b.close();
  });

  it('fails every waiter when a batch fails or the upload is aborted', async () => {
    const clock = new ManualClock();
    const { hasher, read } = pass();
    const failing = { signBatch: async () => Promise.reject(new Error('API down')) } as unknown as IngestApi;
    const b = broker({ clock, hasher, api: failing });
    const a = file('a.bin', 12 * MiB);
    b.planMultipart(a.f, a.entry);
    read('a.bin', 12 * MiB);
    await expect(b.partUrl('a.bin', 1)).rejects.toThrow('API down');
    const stop = new AbortController();
    const { fake } = api(clock);
    const c = broker({ clock, hasher: pass().hasher, api: fake, signal: stop.signal });
    c.planMultipart(a.f, { ...a.entry });
    const waiting = c.partUrl('a.bin', 1);
    stop.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
    expect(MIN_BATCH).toBeGreaterThan(12 * MiB);
  });
});
