import { RecpipeError } from '../../../src/core/errors.js';
import { s3Error } from '../../../src/core/s3-outcome.js';
import { isSlowDown, partsInFlight, Window } from '../../../src/features/ingest/window.js';

describe('parts in flight', () => {
  it('are as many buffers as the memory budget holds, at least one, at most the cap', () => {
    const MiB = 1024 * 1024;
    expect(partsInFlight(96 * MiB, 8 * MiB)).toBe(12);
    expect(partsInFlight(96 * MiB, 8 * MiB, 4)).toBe(4);
    expect(partsInFlight(96 * MiB, 200 * MiB)).toBe(1);
    expect(partsInFlight(4096 * MiB, 5 * MiB)).toBe(64);
  });
});

describe('the upload window (AIMD on 503 SlowDown)', () => {
  it('cuts a quarter on SlowDown, once per window of parts, and grows back by one per quarter window of successes', () => {
    const w = new Window(16);
    w.slowDown();
    expect(w.limit).toBe(12);
    // Parts sent before the cut answer SlowDown too: they do not cut again.
    for (let i = 0; i < 5; i++) w.slowDown();
    expect(w.limit).toBe(12);
    for (let i = 0; i < 3; i++) w.succeeded();
    expect(w.limit).toBe(13);
    for (let i = 0; i < 9; i++) w.succeeded();
    w.slowDown();
    expect(w.limit).toBe(11);
    for (let i = 0; i < 200; i++) w.succeeded();
    expect(w.limit).toBe(16);
    const w1 = new Window(2);
    w1.slowDown();
    w1.slowDown();
    expect(w1.limit).toBe(1);
    w1.succeeded();
    expect(w1.limit).toBe(2);
  });

  it('admits no more than the limit at once, and waiters once slots free', async () => {
    const w = new Window(2);
    await w.acquire();
    await w.acquire();
    let third = false;
    const p = w.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    w.release();
    await p;
    expect(third).toBe(true);
  });

  it('knows the store telling it to slow down from other failures, by the S3 outcome', () => {
    const answered = (status: number, code?: string) => s3Error({ status, code }, 'k');
    expect(
      [
        answered(503, 'SlowDown'),
        answered(503),
        answered(429),
        answered(400, 'Throttling'),
        answered(500, 'InternalError'),
        s3Error({ network: 'ECONNRESET' }, 'k'),
        // A message that says "SlowDown" is not an outcome: strings are not read.
        new RecpipeError('unavailable', 'SlowDown', { retryable: true, details: { s3: 'SlowDown' } }),
      ].map(isSlowDown),
    ).toEqual([true, true, true, true, false, false, false]);
  });
});
