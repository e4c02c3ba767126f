import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { pullFiles } from '../../../src/features/pull/pull-files.js';
import { planRanges } from '../../../src/features/pull/fetch-ranged.js';
import { fixedSpread, Spread } from '../../../src/features/pull/spread.js';
import type { PullItem } from '../../../src/features/pull/plan.js';
import type { PullSource } from '../../../src/features/pull/lake-source.js';
import { silentReporter } from '../../../src/cli/render/reporter.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { tempDir } from '../../helpers/tmp.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const RANGE = 256 * 1024;
const newDir = () => tempDir('rp-pull-ranged-');

function body(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i + 4 <= n; i += 4) b.writeUInt32LE((Math.imul(i, 2654435761) ^ seed) >>> 0, i);
  return b;
}
const item = (key: string, b: Buffer): PullItem => ({
  session_id: 'rig-a/20210301_090000',
  pipeline: 'default',
  pipeline_version: '1',
  key,
  file: key.split('/').pop()!,
  bytes: b.length,
  sha256: sha(b),
});
const where = (dest: string, f: PullItem) => join(dest, 'rig-a', '20210301_090000', 'default', '1', f.file);
const noWait = () => 0;

describe('recpipe pull of large files in byte ranges, on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => (stack = await startTestStack()));
  afterAll(() => stack.stop());

  it('fetches each large file as several ranges at once and stages it bit-identically, backing off on 503 SlowDown', async () => {
    const files = [body(5 * RANGE + 12_345, 1), body(3 * RANGE, 2)].map((b, i) => ({
      b,
      f: item(`processed/default/1/rig-a/20210301_090000/big_${i}.npy`, b),
    }));
    for (const { f, b } of files) await stack.lake.put(f.key, b);
    const dest = newDir();
    const logger = new MemoryLogger();
    const waits: number[] = [];
    stack.s3.faults.add({ match: { bucket: stack.info.buckets.lake, method: 'GET' }, action: { type: 'status', status: 503, code: 'SlowDown' }, times: 3 });
    try {
      // Only presigned GETs: the store's answer to a Range request (206 with exactly that Content-Range) is read by the raw reader.
      const lake: PullSource = { presignGet: (k, e) => stack.lake.presignGet(k, e), getStream: () => Promise.reject(new Error('the SDK stream was used')) };
      const r = await pullFiles(
        files.map((x) => x.f),
        dest,
        { lake, reporter: silentReporter, logger, rangeBytes: RANGE, backoff: (n) => (waits.push(n), 0), spread: fixedSpread(3) },
        { concurrency: 2, dryRun: false, connections: 4 },
      );
      expect(r).toMatchObject({ downloaded: 2 });
    } finally {
      stack.s3.faults.clear();
    }
    for (const { f } of files) expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
    // Three refusals, three waits (a range refused twice waits longer the second time).
    expect(waits).toHaveLength(3);
    expect(logger.entries.filter((e) => e.event === 'pull.retry').every((e) => /503/.test(String(e.fields.error)) && e.fields.range)).toBe(true);
    expect(readdirSync(join(dest, 'rig-a', '20210301_090000', 'default', '1')).sort()).toEqual(['big_0.npy', 'big_1.npy']);
  });
});

/**
 * A store answering ranged GETs from memory. It counts the bytes it sent and the requests it
 * saw (start and end of each range), can cut any answer that covers a chosen byte (`cut`: every
 * time, `cutOnce`: the first time), and can hold an answer at a chosen byte until another
 * request arrives (`holdAt`), so a test controls when connections overlap.
 */
async function rangeServer(objects: Map<string, Buffer>) {
  const state = {
    cut: new Set<number>(),
    cutOnce: new Set<number>(),
    holdAt: -1,
    onHold: () => undefined as unknown,
    sent: 0,
    ranges: [] as number[],
    spans: [] as [number, number][],
    whole: 0,
  };
  const sockets = new Set<Socket>();
  let arrived: () => void = () => undefined;
  const server: Server = createServer((req, res) => {
    arrived();
    const b = objects.get(decodeURIComponent(new URL(req.url!, 'http://x').pathname.slice(1)));
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!b) return res.writeHead(404).end();
    if (!m) {
      state.whole++;
      state.sent += b.length;
      return res.writeHead(200, { 'content-length': b.length }).end(b);
    }
    const [start, end] = [Number(m[1]), Number(m[2])];
    state.ranges.push(start);
    state.spans.push([start, end]);
    res.writeHead(206, { 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${b.length}` });
    const covered = (x: number) => x >= start && x <= end;
    const cutAt = [...state.cut, ...state.cutOnce].filter(covered).sort((x, y) => x - y)[0];
    if (cutAt !== undefined) {
      state.cutOnce.delete(cutAt);
      res.write(b.subarray(start, cutAt));
      state.sent += cutAt - start;
      return setTimeout(() => res.destroy(), 5);
    }
    if (covered(state.holdAt)) {
      const at = state.holdAt;
      state.holdAt = -1;
      state.onHold();
      res.write(b.subarray(start, at));
      state.sent += at - start;
      // The rest once another request came in (or after a second, so a bug cannot hang the test).
      const rest = () => {
        if (res.destroyed) return;
        state.sent += end + 1 - at;
        res.end(b.subarray(at, end + 1));
      };
      const timer = setTimeout(rest, 1000);
      arrived = () => {
        arrived = () => undefined;
        clearTimeout(timer);
        setTimeout(rest, 20);
      };
      return;
    }
    state.sent += end - start + 1;
    res.end(b.subarray(start, end + 1));
  });
  server.on('connection', (c) => (sockets.add(c), c.on('close', () => sockets.delete(c))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const lake: PullSource = {
    presignGet: async (k) => `${url}/${encodeURIComponent(k)}`,
    getStream: () => Promise.reject(new Error('the SDK stream was used')),
  };
  return { state, lake, close: () => new Promise<void>((r) => (sockets.forEach((c) => c.destroy()), server.close(() => r()))) };
}

/** The first index of each run of consecutive numbers in `xs` (sorted). */
const runStarts = (xs: number[]) => xs.filter((x, k) => k === 0 || xs[k - 1] !== x - 1);

describe('recpipe pull resumes inside a large file', () => {
  const b = body(8 * RANGE + 777, 3);
  const f = item('processed/default/1/rig-a/20210301_090000/long.npy', b);
  const ranges = planRanges(b.length, RANGE);
  const deps = (lake: PullSource, boot: string, connections = 3) => ({
    lake,
    reporter: silentReporter,
    logger: new MemoryLogger(),
    rangeBytes: RANGE,
    backoff: noWait,
    bootId: async () => boot,
    spread: fixedSpread(connections - 1),
  });
  const inside = (i: number) => ranges[i].start + 1000;

  it('keeps the ranges that arrived, then fetches only the rest, and the file is whole', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      // Every answer covering a byte of range 2 or 6 is cut there: the pull fails after its retries, the rest is kept.
      s.state.cut = new Set([inside(2), inside(6)]);
      await expect(pullFiles([f], dest, deps(s.lake, 'boot-1'), { concurrency: 1, dryRun: false, connections: 3 })).rejects.toMatchObject({
        code: 'unavailable',
      });
      expect(existsSync(where(dest, f))).toBe(false);
      const record = JSON.parse(readFileSync(where(dest, f) + '.part.ranges', 'utf8'));
      expect(record.done).not.toContain(2);
      expect(record.done).not.toContain(6);
      expect(record.done.length).toBeGreaterThan(0);
      s.state.cut.clear();
      s.state.sent = 0;
      s.state.ranges = [];
      // One connection: it asks for each run of missing ranges in one GET.
      expect(await pullFiles([f], dest, deps(s.lake, 'boot-1', 1), { concurrency: 1, dryRun: false, connections: 3 })).toMatchObject({ downloaded: 1 });
      const missing = ranges.map((_, i) => i).filter((i) => !record.done.includes(i));
      expect(s.state.ranges).toEqual(runStarts(missing).map((i) => ranges[i].start));
      expect(s.state.sent).toBe(missing.reduce((n, i) => n + ranges[i].end - ranges[i].start + 1, 0));
      expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
      expect(existsSync(where(dest, f) + '.part')).toBe(false);
      expect(existsSync(where(dest, f) + '.part.ranges')).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('trusts a record only on the boot that wrote it, and starts over when what it trusted is wrong', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    try {
      s.state.cut = new Set([inside(7)]);
      const rebooted = newDir();
      await expect(pullFiles([f], rebooted, deps(s.lake, 'boot-1', 2), { concurrency: 1, dryRun: false, connections: 2 })).rejects.toMatchObject({
        code: 'unavailable',
      });
      s.state.cut.clear();
      s.state.sent = 0;
      await pullFiles([f], rebooted, deps(s.lake, 'boot-2', 1), { concurrency: 1, dryRun: false, connections: 2 });
      expect(s.state.sent).toBe(b.length);
      expect(sha(readFileSync(where(rebooted, f)))).toBe(f.sha256);

      // A partial file damaged between two runs: the whole-file check fails, the file starts over.
      const damaged = newDir();
      s.state.cut = new Set([inside(7)]);
      await expect(pullFiles([f], damaged, deps(s.lake, 'boot-1', 2), { concurrency: 1, dryRun: false, connections: 2 })).rejects.toMatchObject({
        code: 'unavailable',
      });
      const part = where(damaged, f) + '.part';
      const bytes = readFileSync(part);
      bytes[10] ^= 0xff;
      writeFileSync(part, bytes);
      s.state.cut.clear();
      expect(await pullFiles([f], damaged, deps(s.lake, 'boot-1', 2), { concurrency: 1, dryRun: false, connections: 2 })).toMatchObject({ downloaded: 1 });
      expect(sha(readFileSync(where(damaged, f)))).toBe(f.sha256);
    } finally {
      await s.close();
    }
  });

  it('counts a resumed pull from the bytes already there, and leaves no partial files behind once complete', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      s.state.cut = new Set([inside(6)]);
      await expect(pullFiles([f], dest, deps(s.lake, 'boot-1', 1), { concurrency: 1, dryRun: false, connections: 3 })).rejects.toMatchObject({
        code: 'unavailable',
      });
      const done = JSON.parse(readFileSync(where(dest, f) + '.part.ranges', 'utf8')).done as number[];
      expect(done.length).toBeGreaterThan(0);
      // A partial file of another output, left by a pull killed long ago, is a leftover too.
      const stale = join(dest, 'rig-a', '20210301_090000', 'default', '1', 'gone.npy');
      writeFileSync(stale + '.part', 'x');
      writeFileSync(stale + '.part.ranges', '{}');
      s.state.cut.clear();
      const seen: { step: string[]; fractions: number[] } = { step: [], fractions: [] };
      const reporter = { ...silentReporter, step: (m: string) => seen.step.push(m), progress: (x: number) => seen.fractions.push(x) };
      expect(await pullFiles([f], dest, { ...deps(s.lake, 'boot-1', 1), reporter }, { concurrency: 1, dryRun: false, connections: 3 })).toMatchObject({
        downloaded: 1,
        resumedBytes: done.length * RANGE,
      });
      expect(seen.step.some((m) => /of it already here/.test(m))).toBe(true);
      expect(seen.fractions[0]).toBeCloseTo((done.length * RANGE) / b.length, 5);
      expect(seen.fractions[seen.fractions.length - 1]).toBe(1);
      const left = readdirSync(join(dest, 'rig-a', '20210301_090000', 'default', '1'));
      expect(left).toEqual(['long.npy']);
    } finally {
      await s.close();
    }
  });

  it('fetches a large file in one GET when no connection is spare (--connections no larger than the files in flight)', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      expect(await pullFiles([f], dest, { ...deps(s.lake, 'boot-1'), rawGetMinBytes: 0 }, { concurrency: 2, dryRun: false, connections: 1 })).toMatchObject({
        downloaded: 1,
      });
      expect([s.state.whole, s.state.ranges]).toEqual([1, []]);
      expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
    } finally {
      await s.close();
    }
  });
});

describe('recpipe pull spreads a large file over more connections only while allowed', () => {
  const b = body(8 * RANGE + 777, 4);
  const f = item('processed/default/1/rig-a/20210301_090000/spread.npy', b);
  const ranges = planRanges(b.length, RANGE);
  const deps = (lake: PullSource, spread: Spread) => ({
    lake,
    reporter: silentReporter,
    logger: new MemoryLogger(),
    rangeBytes: RANGE,
    backoff: noWait,
    bootId: async () => 'boot-1',
    spread,
  });

  it('asks for the whole file in one GET while it is alone on its connection', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      expect(await pullFiles([f], dest, deps(s.lake, fixedSpread(0)), { concurrency: 1, dryRun: false, connections: 4 })).toMatchObject({ downloaded: 1 });
      expect(s.state.spans).toEqual([[0, b.length - 1]]);
      expect(s.state.sent).toBe(b.length);
      expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
    } finally {
      await s.close();
    }
  });

  it('with connections to spare from the start, asks for one range per GET', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      expect(await pullFiles([f], dest, deps(s.lake, fixedSpread(2)), { concurrency: 1, dryRun: false, connections: 4 })).toMatchObject({ downloaded: 1 });
      expect([...s.state.spans].sort((x, y) => x[0] - y[0])).toEqual(ranges.map((r) => [r.start, r.end]));
      expect(s.state.sent).toBe(b.length);
      expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
      expect(existsSync(where(dest, f) + '.part.ranges')).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('lets connections join a file already on its way, and stops its first GET where they took over', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      // None may join until the first GET is inside range 1; it then holds there until another connection asks.
      let joiners = 0;
      s.state.holdAt = ranges[1].start + 5000;
      s.state.onHold = () => (joiners = 2);
      expect(await pullFiles([f], dest, deps(s.lake, new Spread(() => joiners)), { concurrency: 1, dryRun: false, connections: 4 })).toMatchObject({
        downloaded: 1,
      });
      expect(s.state.spans[0]).toEqual([0, b.length - 1]);
      const joined = s.state.spans.slice(1);
      // Ranges 2 onward came through the joiners, one range per GET; the first GET kept ranges 0 and 1.
      expect([...joined].sort((x, y) => x[0] - y[0])).toEqual(ranges.slice(2).map((r) => [r.start, r.end]));
      expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
      expect(existsSync(where(dest, f) + '.part.ranges')).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('hashes the file again from disk when the GET that hashed it on the way is cut, and the file is whole', async () => {
    const s = await rangeServer(new Map([[f.key, b]]));
    const dest = newDir();
    try {
      // Cut once inside range 3: the bytes of range 3 already hashed are not the file's; the pull must not keep that hash.
      s.state.cutOnce = new Set([ranges[3].start + 777]);
      expect(await pullFiles([f], dest, deps(s.lake, fixedSpread(0)), { concurrency: 1, dryRun: false, connections: 4 })).toMatchObject({ downloaded: 1 });
      expect(s.state.spans).toEqual([
        [0, b.length - 1],
        [ranges[3].start, b.length - 1],
      ]);
      expect(sha(readFileSync(where(dest, f)))).toBe(f.sha256);
    } finally {
      await s.close();
    }
  });
});
