import { mkdtempSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { MAX_WRITE, writeCapped } from '../../../src/adapters/fs/write-capped.js';

function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('writeCapped', () => {
  it('writes everything, appending or at a position, in calls of at most MAX_WRITE', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rp-write-')), 'f.bin');
    const a = pattern(3_500_000, 1);
    const b = pattern(2_100_000, 2);
    const fh = await open(path, 'w');
    const write = jest.spyOn(fh, 'write');
    try {
      await writeCapped(fh, a);
      await writeCapped(fh, b, 2_000_000, 1_000_000);
    } finally {
      await fh.close();
    }
    const sizes = write.mock.calls.map((c) => Number(c[2]));
    expect(Math.max(...sizes)).toBe(MAX_WRITE);
    expect(sizes.length).toBe(Math.ceil(3_500_000 / MAX_WRITE) + Math.ceil(2_000_000 / MAX_WRITE));
    const expected = Buffer.from(a);
    b.copy(expected, 1_000_000, 0, 2_000_000);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });
});
