import { jest } from '@jest/globals';
import { exponential, fullJitter, pause, retrying } from '../../../src/core/backoff.js';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { withRetry } from '../../../src/features/ingest/retry.js';
import type { TokenSource } from '../../../src/features/ingest/token-source.js';
import { RecpipeError } from '../../../src/core/errors.js';

describe('full-jitter backoff', () => {
  it('waits a random share of an exponentially growing ceiling, capped', () => {
    const top = fullJitter(200, 5000, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 10].map(top)).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
    expect(fullJitter(200, 5000, () => 0)(4)).toBe(0);
  });

  it('retries only retryable errors, up to the attempts given, waiting the backoff between', async () => {
    const waits: number[] = [];
    let calls = 0;
    const busy = new RecpipeError('unavailable', 'slow down', { retryable: true });
    await expect(retrying(async () => (calls++, Promise.reject(busy)), { attempts: 4, backoff: (n) => n * 0, onRetry: (_e, n) => waits.push(n) })).rejects.toBe(
      busy,
    );
    expect([calls, waits]).toEqual([4, [1, 2, 3]]);
    calls = 0;
    const bad = new RecpipeError('integrity', 'wrong bytes');
    await expect(retrying(async () => (calls++, Promise.reject(bad)), { attempts: 4, backoff: () => 0 })).rejects.toBe(bad);
    expect(calls).toBe(1);
    expect(await retrying(async (n) => (n < 3 ? Promise.reject(busy) : 'ok'), { attempts: 3, backoff: () => 0 })).toBe('ok');
  });
});

describe('pause', () => {
  it('ends on abort with the signal’s reason, not a bare AbortError', async () => {
    const ac = new AbortController();
    const reason = new RecpipeError('interrupted', 'interrupted by SIGINT');
    const waiting = pause(60_000, ac.signal);
    ac.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});

describe('the one retry policy on a fake clock', () => {
  it('gives the plain exponential schedule a queue uses, capped, and never overflows', () => {
    expect([1, 2, 3, 4].map((n) => exponential(n, 1000, 15 * 60_000, 4))).toEqual([1000, 4000, 16_000, 64_000]);
    expect(exponential(10_000, 1000, 60_000)).toBe(60_000);
    expect(fullJitter(200, 5000, () => 0.5)(10_000)).toBe(2500);
  });

  it('waits each backoff on the injected clock, not on real timers', async () => {
    const clock = new ManualClock();
    const start = clock.now().getTime();
    const busy = new RecpipeError('unavailable', 'slow down', { retryable: true });
    const r = await retrying(async (n) => (n < 4 ? Promise.reject(busy) : 'ok'), {
      attempts: 4,
      backoff: fullJitter(200, 10_000, () => 0.999),
      sleep: (ms) => clock.sleep(ms),
    });
    expect(r).toBe('ok');
    // 199 + 399 + 799 ms of fake time, none of it real.
    expect(clock.now().getTime() - start).toBe(199 + 399 + 799);
  });

  it('the upload retry refreshes an expired token before retrying, and tells of each retry', async () => {
    const clock = new ManualClock();
    const tokens = { invalidate: jest.fn(), dropKept: () => false } as unknown as TokenSource;
    const seen: string[] = [];
    let calls = 0;
    const r = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new RecpipeError('token_expired', 'expired', { retryable: true });
        if (calls === 2) throw new RecpipeError('unavailable', 'SlowDown', { retryable: true, details: { s3: 'SlowDown' } });
        return 'sent';
      },
      tokens,
      { what: 'part 1', sleep: (ms) => clock.sleep(ms), random: () => 0.5, onRetry: (e) => seen.push(e.code) },
    );
    expect([r, calls, seen]).toEqual(['sent', 3, ['token_expired', 'unavailable']]);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- a jest mock, never called through this reference
    expect(tokens.invalidate).toHaveBeenCalledTimes(1);
    const stop = new RecpipeError('integrity', 'changed');
    await expect(withRetry(async () => Promise.reject(stop), tokens, { what: 'x', sleep: (ms) => clock.sleep(ms) })).rejects.toBe(stop);
  });

  it('a token kept from an earlier run that the API refuses: dropped, and the call made once more (only once)', async () => {
    const clock = new ManualClock();
    let kept = true;
    const tokens = { invalidate: () => undefined, dropKept: () => (kept ? ((kept = false), true) : false) } as unknown as TokenSource;
    const refused = new RecpipeError('auth', 'invalid token');
    let calls = 0;
    const fn = async () => (++calls === 1 ? Promise.reject(refused) : 'sent');
    expect([await withRetry(fn, tokens, { what: 'x', sleep: (ms) => clock.sleep(ms) }), calls]).toEqual(['sent', 2]);
    calls = 0;
    await expect(withRetry(async () => (++calls, Promise.reject(refused)), tokens, { what: 'x', sleep: (ms) => clock.sleep(ms) })).rejects.toBe(refused);
    expect(calls).toBe(1);
  });
});
