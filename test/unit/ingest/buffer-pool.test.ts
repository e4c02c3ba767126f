import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferPool } from '../../../src/features/ingest/buffer-pool.js';

/** Lets the promises settled so far run their callbacks. */
const tick = () => new Promise((r) => setImmediate(r));

describe('the part buffer block', () => {
  it('hands out slices of the sizes asked for, within its bytes, and waits when they are taken', async () => {
    const pool = new BufferPool(100);
    const a = await pool.acquire(30);
    const b = await pool.acquire(30);
    const c = await pool.acquire(40);
    expect([a.length, b.length, c.length, pool.freeBytes]).toEqual([30, 30, 40, 0]);
    // Slices never overlap: writing one leaves the others alone.
    a.fill(1);
    b.fill(2);
    c.fill(3);
    expect([a[29], b[0], b[29], c[0]]).toEqual([1, 2, 2, 3]);
    let got: Buffer | undefined;
    void pool.acquire(20).then((x) => (got = x));
    await tick();
    expect(got).toBeUndefined();
    pool.release(b);
    await tick();
    expect(got?.length).toBe(20);
  });

  it('merges released neighbours, so a large part fits again after small ones (parts of two sizes share it)', async () => {
    const pool = new BufferPool(96);
    const small = await Promise.all(Array.from({ length: 16 }, () => pool.acquire(6)));
    let large: Buffer | undefined;
    void pool.acquire(16).then((x) => (large = x));
    // Releasing two separated slices is not enough; two neighbours with a third are.
    pool.release(small[0]);
    pool.release(small[2]);
    await tick();
    expect(large).toBeUndefined();
    pool.release(small[1]);
    await tick();
    expect(large?.length).toBe(16);
    for (const s of small.slice(3)) pool.release(s);
    pool.release(large!);
    expect(pool.freeBytes).toBe(96);
  });

  it('serves waiting parts first come, first served: a large part is not passed over by small ones', async () => {
    const pool = new BufferPool(20);
    const first = await pool.acquire(10);
    const second = await pool.acquire(10);
    const order: string[] = [];
    void pool.acquire(20).then(() => order.push('large'));
    void pool.acquire(5).then(() => order.push('small'));
    pool.release(first);
    await tick();
    expect(order).toEqual([]);
    pool.release(second);
    await tick();
    expect(order).toEqual(['large']);
  });

  it('refuses a part larger than the whole block', async () => {
    await expect(new BufferPool(10).acquire(11)).rejects.toThrow(/does not fit/);
  });

  it('reads parts ahead into free memory only, hands them to the sender as read, and gives back what was never taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rp-pool-'));
    try {
      const path = join(dir, 'data.bin');
      writeFileSync(path, Buffer.from(Array.from({ length: 40 }, (_, i) => i)));
      const pool = new BufferPool(30);
      const fills: number[] = [];
      const fill = pool.fill.bind(pool);
      pool.fill = (b, p, offset) => (fills.push(offset), fill(b, p, offset));
      expect([pool.readAhead(path, 0, 10), pool.readAhead(path, 10, 10), pool.readAhead(path, 0, 10)]).toEqual([true, true, true]);
      // Another 20 bytes do not fit: reading ahead never waits for memory.
      expect(pool.readAhead(path, 20, 20)).toBe(false);
      expect([fills, pool.freeBytes]).toEqual([[0, 10], 10]);
      const first = await pool.read(path, 0, 10);
      expect([...first.body]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // Taken as read: no second read of the file.
      expect(fills).toEqual([0, 10]);
      const other = await pool.read(path, 30, 10);
      expect([other.body[0], fills]).toEqual([30, [0, 10, 30]]);
      pool.release(first.buffer);
      pool.release(other.buffer);
      // Part 2 (offset 10) was never taken: forget gives its memory back.
      expect(pool.freeBytes).toBe(20);
      await pool.forget();
      expect(pool.freeBytes).toBe(30);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
