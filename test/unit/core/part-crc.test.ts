import { randomBytes } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { aheadBounds, enoughToAsk, INITIAL_AHEAD, MIN_BATCH } from '../../../src/core/ingest/batch-policy.js';
import { crc32cCombine } from '../../../src/core/ingest/crc32c-combine.js';
import { partCrc32c } from '../../../src/core/ingest/part-crc.js';
import { effectivePartSize, planParts, plannedPartSize } from '../../../src/core/ingest/plan.js';

const MiB = 1024 * 1024;

describe('CRC32C of a concatenation from its pieces', () => {
  it('equals the CRC32C of the whole for any split, empty pieces included', () => {
    const whole = randomBytes(70_001);
    for (const at of [0, 1, 7, 4096, 65_536, 70_000, 70_001]) {
      const [a, b] = [whole.subarray(0, at), whole.subarray(at)];
      expect(crc32cCombine(crc32c(a), crc32c(b), b.length)).toBe(crc32c(whole));
    }
  });
});

describe("a part's CRC32C from the reading pass's blocks", () => {
  const block = 1024;
  const file = randomBytes(10 * block + 300);
  const crcs: number[] = [];
  for (let at = 0; at < file.length; at += block) crcs.push(crc32c(file.subarray(at, at + block)));

  it('is the CRC32C of exactly its bytes, whatever the part size (a multiple of the block)', () => {
    for (const partSize of [block, 3 * block, 4 * block, 11 * block]) {
      for (const p of planParts(file.length, partSize)) {
        const got = partCrc32c({ blockSize: block, crcs, bytes: file.length }, p);
        expect(got).toBe(crc32c(file.subarray(p.offset, p.offset + p.size)));
      }
    }
  });

  it('is unknown until the pass has read all of the part, and refuses a part off the blocks', () => {
    const [first, second] = planParts(file.length, 4 * block);
    const partial = { blockSize: block, crcs: crcs.slice(0, 6), bytes: 6 * block };
    expect(partCrc32c(partial, first)).toBe(crc32c(file.subarray(0, 4 * block)));
    expect(partCrc32c(partial, second)).toBeUndefined();
    expect(() => partCrc32c({ blockSize: block, crcs, bytes: file.length }, { partNumber: 2, offset: 1000, size: 2048 })).toThrow(/block boundary/);
  });
});

describe('the plan a ticket signs', () => {
  it('gives every part but the last the part size, the last the rest, and nothing past the declared size', () => {
    expect([1, 2, 3].map((n) => plannedPartSize(25, 10, n))).toEqual([10, 10, 5]);
    expect(plannedPartSize(25, 10, 4)).toBeUndefined();
    expect(plannedPartSize(25, 10, 0)).toBeUndefined();
    expect(plannedPartSize(1, 4 * MiB, 1)).toBe(1);
    expect(plannedPartSize(1, 4 * MiB, 2)).toBeUndefined();
  });

  it('keeps part sizes whole MiB for files that need bigger parts (10,000 parts at most)', () => {
    const huge = 100 * 1024 * MiB + 5;
    const size = effectivePartSize(huge, 6 * MiB);
    expect(size % MiB).toBe(0);
    expect(Math.ceil(huge / size)).toBeLessThanOrEqual(10_000);
    expect(effectivePartSize(600 * MiB, 6 * MiB)).toBe(6 * MiB);
  });
});

describe('how far ahead URLs are signed', () => {
  it('asks again two round trips before the URLs run out, at least a window ahead', () => {
    expect(aheadBounds({ rate: 400e6, rttSec: 0.15, ttlSec: 300, windowBytes: 96 * MiB }).low).toBe(120e6);
    expect(aheadBounds({ rate: 400e6, rttSec: 0.01, ttlSec: 300, windowBytes: 96 * MiB }).low).toBe(96 * MiB);
    // Before a rate is measured: the window in flight and the next one.
    expect(aheadBounds({ rttSec: 0.3, ttlSec: 300, windowBytes: 96 * MiB }).low).toBe(2 * 96 * MiB);
  });

  it('signs what the link carries in half a lifetime (a guess before the rate is known), in batches of at least MIN_BATCH', () => {
    expect(aheadBounds({ ttlSec: 300, windowBytes: 96 * MiB })).toMatchObject({ high: INITIAL_AHEAD, minBatch: MIN_BATCH });
    // 1 MB/s: 150 MB ahead, batches of 75 MB, so no URL waits past its lifetime.
    expect(aheadBounds({ rate: 1e6, rttSec: 0.15, ttlSec: 300, windowBytes: 96 * MiB })).toMatchObject({ high: 2 * 96 * MiB, minBatch: 75e6 });
    expect(enoughToAsk(MIN_BATCH, 600e6, MIN_BATCH)).toBe(true);
    expect(enoughToAsk(MIN_BATCH - 1, 600e6, MIN_BATCH)).toBe(false);
    // What is left is less than a batch: all of it hashed is enough.
    expect(enoughToAsk(10e6, 10e6, MIN_BATCH)).toBe(true);
    expect(enoughToAsk(0, 0, MIN_BATCH)).toBe(false);
    // Asked ahead, a batch waits rather than leave a tail smaller than a batch; a part that waits does not.
    expect(enoughToAsk(MIN_BATCH, MIN_BATCH + 10e6, MIN_BATCH, false)).toBe(false);
    expect(enoughToAsk(MIN_BATCH, MIN_BATCH + 10e6, MIN_BATCH, true)).toBe(true);
    expect(enoughToAsk(MIN_BATCH, 3 * MIN_BATCH, MIN_BATCH, false)).toBe(true);
  });
});
