/**
 * The one retry policy. Every wait before retrying (a request the store refused for now, S3's
 * 503 SlowDown, a cut connection, a session the rig daemon will try again, a processing attempt
 * the local queue redelivers) is computed here, and every retry loop is `retrying`.
 *
 * Waits are exponential backoff with "full jitter", as AWS recommends for clients that do not
 * use an SDK's retry logic (S3 performance guidelines, "Timeouts and Retries"; AWS Architecture
 * Blog, "Exponential Backoff and Jitter"): a random wait between 0 and min(cap, base * 2^n), so
 * that many clients throttled together do not retry together. A queue's redelivery, which no
 * crowd of clients shares, uses the plain exponential schedule.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isRecpipeError, type RecpipeError } from './errors.js';
import type { Clock } from './ports.js';

export interface Backoff {
  /** Milliseconds to wait before retry number `attempt` (1 for the first retry). */
  (attempt: number): number;
}

/** The ceiling before retry `attempt` (1 first): min(cap, base * factor^(attempt - 1)). */
export function exponential(attempt: number, baseMs: number, capMs: number, factor = 2): number {
  // The exponent is bounded so that months of retries never overflow to Infinity * 0.
  return Math.min(capMs, baseMs * factor ** Math.min(60, Math.max(0, attempt - 1)));
}

/** Full-jitter exponential backoff; `random` returns [0, 1) (injectable for tests). */
export function fullJitter(baseMs = 200, capMs = 20_000, random: () => number = Math.random): Backoff {
  return (attempt) => Math.floor(random() * exponential(attempt, baseMs, capMs));
}

export interface RetryingOptions {
  /** Tries in all, the first included. */
  attempts: number;
  backoff: Backoff;
  signal?: AbortSignal;
  /** Told of each retry before its wait (e.g. to refresh a token or lower the concurrency). */
  onRetry?: (error: RecpipeError, attempt: number, waitMs: number) => void;
  /** The wait itself (a Clock's sleep, so tests run on a fake clock); real timers by default. */
  sleep?: Clock['sleep'];
}

/**
 * Runs `fn` until it succeeds, fails with an error that is not a retryable RecpipeError, runs
 * out of attempts, or the signal aborts (a wait ends at once with the signal's reason).
 */
export async function retrying<T>(fn: (attempt: number) => Promise<T>, o: RetryingOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isRecpipeError(e) || !e.retryable || attempt >= o.attempts || o.signal?.aborted) throw e;
      const wait = o.backoff(attempt);
      o.onRetry?.(e, attempt, wait);
      if (wait > 0) await (o.sleep ? o.sleep(wait, o.signal) : pause(wait, o.signal));
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
