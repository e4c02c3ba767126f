import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { writeCapped } from '../../../src/adapters/fs/write-capped.js';
import { tempDir } from '../../helpers/tmp.js';

function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('writeCapped', () => {
  it('writes everything, appending or at a position, each in one call when the disk takes it all', async () => {
    const path = join(tempDir('rp-write-'), 'f.bin');
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
    expect(sizes).toEqual([3_500_000, 2_000_000]);
    const expected = Buffer.from(a);
    b.copy(expected, 1_000_000, 0, 2_000_000);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });
});
