/** Streamed puts stay within S3's multipart limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
import { partSizeFor } from '../../../src/adapters/s3/stream-put.js';

const MiB = 1024 * 1024;

describe('partSizeFor', () => {
  it('uses 8 MiB parts, never less than the 5 MiB minimum', () => {
    expect(partSizeFor(undefined)).toBe(8 * MiB);
    expect(partSizeFor(100 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(undefined, 1)).toBe(5 * MiB);
  });

  it('grows the part size so that a hinted object needs fewer than 10,000 parts', () => {
    for (const size of [80 * 1024 * MiB, 5 * 1024 ** 4]) {
      const part = partSizeFor(size);
      expect(Math.ceil(size / part)).toBeLessThan(10_000);
      expect(part % MiB).toBe(0);
    }
  });
});
