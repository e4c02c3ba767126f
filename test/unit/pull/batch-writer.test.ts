import { BatchWriter, MAX_WRITE, batchBuffers, type PositionalWrite } from '../../../src/features/pull/batch-writer.js';

/** A file in memory whose writes finish only when the test lets them. */
function slowFile(size: number) {
  const bytes = Buffer.alloc(size);
  const pending: (() => void)[] = [];
  let writes = 0;
  const write: PositionalWrite = (b, n, at) =>
    new Promise((resolve) => {
      pending.push(() => {
        b.copy(bytes, at, 0, n);
        writes++;
        resolve(n);
      });
    });
  return {
    bytes,
    write,
    pending,
    get writes() {
      return writes;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A deterministic body and a split of it into slices no larger than `max`. */
function body(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe('BatchWriter', () => {
  it('puts every byte at its place whatever the slice sizes, never writing two batches at once, pausing when both buffers are busy', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const src = body(300_000 + seed * 7919, seed);
      const file = slowFile(src.length);
      const w = new BatchWriter(file.write, batchBuffers(16 * 1024, 4 * 1024));
      let paused = false;
      w.onDrain = () => (paused = false);
      let maxPending = 0;
      let pauses = 0;
      for (let off = 0, i = 0; off < src.length; i++) {
        const n = Math.min(src.length - off, 1 + ((seed * 31 + i * 977) % (4 * 1024)));
        // The caller's buffer is reused: only a copy may be kept.
        const reused = Buffer.from(src.subarray(off, off + n));
        expect(paused).toBe(false);
        if (!w.push(reused)) {
          paused = true;
          pauses++;
        }
        reused.fill(0xee);
        off += n;
        maxPending = Math.max(maxPending, file.pending.length);
        // Let the disk finish a write now and then, or at once when the writer had to pause.
        while (paused || (file.pending.length && i % 5 === 0)) {
          file.pending.shift()?.();
          await tick();
        }
      }
      const done = w.finish();
      while (file.pending.length || (await Promise.race([done.then(() => true), tick().then(() => false)])) === false) {
        file.pending.shift()?.();
        await tick();
      }
      expect(await done).toBe(src.length);
      expect(file.bytes.equals(src)).toBe(true);
      expect(maxPending).toBe(1);
      expect(pauses).toBeGreaterThan(0);
    }
  });

  it('takes reads placed directly in its space (commit) mixed with copied slices', async () => {
    const src = body(100_000, 9);
    const out = Buffer.alloc(src.length);
    const w = new BatchWriter(async (b, n, at) => (b.copy(out, at, 0, n), n), batchBuffers(8 * 1024, 2 * 1024));
    let drained = 0;
    w.onDrain = () => drained++;
    let off = 0;
    for (let i = 0; off < src.length; i++) {
      let more: boolean;
      if (i % 3 === 0) {
        const space = w.space()!;
        expect(space.length).toBeGreaterThanOrEqual(2 * 1024);
        const n = Math.min(src.length - off, space.length, 1500 + i * 13);
        src.copy(space, 0, off, off + n);
        more = w.commit(n);
        off += n;
      } else {
        const n = Math.min(src.length - off, 700 + i);
        more = w.push(src.subarray(off, off + n));
        off += n;
      }
      if (!more) {
        expect(w.space()).toBeUndefined();
        const before = drained;
        while (drained === before) await tick();
      }
    }
    await w.finish();
    expect(out.equals(src)).toBe(true);
  });

  it('writes a slice larger than its slack by itself, in order', async () => {
    const src = body(50_000, 4);
    const out = Buffer.alloc(src.length);
    const w = new BatchWriter(async (b, n, at) => (b.copy(out, at, 0, n), n), batchBuffers(8 * 1024, 1024));
    w.push(src.subarray(0, 100));
    w.push(src.subarray(100, 20_100));
    w.push(src.subarray(20_100));
    await w.finish();
    expect(out.equals(src)).toBe(true);
  });

  it('writes each full batch in one call', async () => {
    const src = body(3_500_000, 7);
    const out = Buffer.alloc(src.length);
    const sizes: number[] = [];
    const w = new BatchWriter(async (b, n, at) => (sizes.push(n), b.copy(out, at, 0, n), n), batchBuffers(3 * 1024 * 1024, 1024 * 1024));
    for (let i = 0; i < src.length; i += 700_000) w.push(src.subarray(i, i + 700_000));
    w.push(Buffer.from(src.subarray(0, 0)));
    await w.finish();
    expect(out.equals(src)).toBe(true);
    expect(sizes.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_WRITE);
  });

  it('finishes short writes and turns a write of nothing into ENOSPC', async () => {
    const out = Buffer.alloc(10_000);
    const halves = new BatchWriter(
      async (b, n, at) => {
        const k = Math.ceil(n / 2);
        b.copy(out, at, 0, k);
        return k;
      },
      batchBuffers(4096, 1024),
    );
    const src = body(10_000, 5);
    for (let i = 0; i < src.length; i += 1000) expect(halves.push(src.subarray(i, i + 1000)) || true).toBe(true);
    await halves.finish();
    expect(out.equals(src)).toBe(true);

    const full = new BatchWriter(async () => 0, batchBuffers(4096, 1024));
    let failed: Error | undefined;
    full.onError = (e) => (failed = e);
    full.push(Buffer.alloc(1000));
    await expect(full.finish()).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(failed).toBeDefined();
    expect(full.push(Buffer.alloc(10))).toBe(false);
  });

  it('reports the first failed write, stops writing, and settles without throwing', async () => {
    let calls = 0;
    const w = new BatchWriter(
      async () => {
        calls++;
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      },
      batchBuffers(1024, 1024),
    );
    const errors: Error[] = [];
    w.onError = (e) => errors.push(e);
    expect(w.push(Buffer.alloc(1024))).toBe(true);
    await tick();
    expect(w.push(Buffer.alloc(1024))).toBe(false);
    await w.settle();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(1);
    expect(() => w.throwIfFailed()).toThrow('EIO');
    await expect(w.finish()).rejects.toThrow('EIO');
  });

  it('refuses a push while paused instead of losing the bytes', () => {
    const w = new BatchWriter(() => new Promise(() => undefined), batchBuffers(1024, 1024));
    expect(w.push(Buffer.alloc(1024))).toBe(true);
    expect(w.push(Buffer.alloc(1024))).toBe(false);
    expect(() => w.push(Buffer.alloc(1))).toThrow('paused');
    expect(() => w.commit(1)).toThrow('without space');
  });
});
