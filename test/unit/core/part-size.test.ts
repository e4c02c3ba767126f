import { choosePartSize, MIN_SAMPLES, type PutSample } from '../../../src/core/ingest/part-size.js';

const MiB = 1024 * 1024;
const base = { small: 6 * MiB, large: 16 * MiB, budget: 96 * MiB };
/** `n` PUTs of 6 MiB, each taking `ms`, answered over `spanMs`. */
const puts = (n: number, ms: number): PutSample[] => Array.from({ length: n }, () => ({ bytes: 6 * MiB, ms }));

describe('choosing the part size from the first PUTs', () => {
  it('grows the parts where each PUT is fast: the large parts the budget allows still carry the upload', () => {
    // Loopback as measured: 16 parts of 6 MiB in flight, each ~45 ms (140 MB/s per PUT), 8 done after 350 ms.
    expect(choosePartSize({ ...base, samples: puts(8, 45), spanMs: 350 })).toBe(16 * MiB);
  });

  it('keeps them small where each connection is capped: fewer parts in flight would slow the upload', () => {
    // 25 MB/s per connection: each 6 MiB PUT ~250 ms; 16 in flight move ~400 MB/s, 6 large ones ~150.
    expect(choosePartSize({ ...base, samples: puts(8, 250), spanMs: 260 })).toBe(6 * MiB);
    // 5 MB/s per connection.
    expect(choosePartSize({ ...base, samples: puts(8, 1260), spanMs: 1300 })).toBe(6 * MiB);
  });

  it('asks for a margin: large parts that would only just carry the upload are not taken', () => {
    // 6 large in flight x 50 MB/s per PUT = 300 MB/s, against 250 MB/s moved now: under 1.5x.
    const perPutMs = (6 * MiB) / 50e3;
    const spanMs = (8 * 6 * MiB) / 250e3;
    expect(choosePartSize({ ...base, samples: puts(8, perPutMs), spanMs })).toBe(6 * MiB);
  });

  it('goes by the median PUT, so one slow start does not decide', () => {
    const samples = [...puts(7, 45), { bytes: 6 * MiB, ms: 3000 }];
    expect(choosePartSize({ ...base, samples, spanMs: 3000 })).toBe(16 * MiB);
  });

  it('waits for enough PUTs, and has nothing to choose when the sizes are equal', () => {
    expect(choosePartSize({ ...base, samples: puts(MIN_SAMPLES - 1, 45), spanMs: 300 })).toBeUndefined();
    expect(choosePartSize({ ...base, large: 6 * MiB, samples: [], spanMs: 0 })).toBe(6 * MiB);
  });
});
