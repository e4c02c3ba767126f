/**
 * The wait before retrying a request the store refused for now (S3's 503 SlowDown, a cut
 * connection): exponential backoff with "full jitter", as AWS recommends for clients that do
 * not use an SDK's retry logic (S3 performance guidelines, "Timeouts and Retries"; AWS
 * Architecture Blog, "Exponential Backoff and Jitter"): a random wait between 0 and
 * min(cap, base * 2^attempt), so that many clients throttled together do not retry together.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isRecpipeError, type RecpipeError } from './errors.js';

export interface Backoff {
  /** Milliseconds to wait before retry number `attempt` (1 for the first retry). */
  (attempt: number): number;
}

/** Full-jitter exponential backoff; `random` returns [0, 1) (injectable for tests). */
export function fullJitter(baseMs = 200, capMs = 20_000, random: () => number = Math.random): Backoff {
  return (attempt) => Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));
}

export interface RetryingOptions {
  /** Tries in all, the first included. */
  attempts: number;
  backoff: Backoff;
  signal?: AbortSignal;
  /** Told of each retry before its wait. */
  onRetry?: (error: RecpipeError, attempt: number, waitMs: number) => void;
}

/** Runs `fn` until it succeeds, fails with an error that is not retryable, or runs out of attempts. */
export async function retrying<T>(fn: (attempt: number) => Promise<T>, o: RetryingOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isRecpipeError(e) || !e.retryable || attempt >= o.attempts || o.signal?.aborted) throw e;
      const wait = o.backoff(attempt);
      o.onRetry?.(e, attempt, wait);
      if (wait > 0) await pause(wait, o.signal);
    }
  }
}

/** Waits `ms`; an abort ends the wait with the signal's own reason (an `interrupted` error from the CLI). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (e) {
    signal?.throwIfAborted();
    throw e;
  }
}
