import { fullJitter, pause, retrying } from '../../../src/core/backoff.js';
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
    await expect(retrying(async () => (calls++, Promise.reject(busy)), { attempts: 4, backoff: (n) => n * 0, onRetry: (_e, n) => waits.push(n) })).rejects.toBe(busy);
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
