/**
 * The upload engine's use of the one retry policy (core/backoff.ts): retryable RecpipeErrors
 * are retried with full-jitter backoff; an expired token is refreshed first; a token kept from
 * an earlier run that the API refuses is dropped and the call made once more; anything else
 * stops at once.
 */
import { fullJitter, retrying } from '../../core/backoff.js';
import type { RecpipeError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { TokenSource } from './token-source.js';

export interface RetryOptions {
  /** Retries after the first try (6 by default). */
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
  what: string;
  /** Told of each retry (the part sender lowers its concurrency on 503 SlowDown). */
  onRetry?: (error: RecpipeError) => void;
  /** Fake clocks in tests. */
  sleep?: Clock['sleep'];
  random?: () => number;
}

export async function withRetry<T>(fn: () => Promise<T>, tokens: TokenSource | undefined, o: RetryOptions): Promise<T> {
  try {
    return await attempt(fn, tokens, o);
  } catch (e) {
    // A token kept from an earlier run that the API refuses: once more, with a fresh one.
    if (!tokens?.dropKept(e)) throw e;
    o.logger?.log('info', 'auth.kept_token_refused', { what: o.what });
    return attempt(fn, tokens, o);
  }
}

function attempt<T>(fn: () => Promise<T>, tokens: TokenSource | undefined, o: RetryOptions): Promise<T> {
  const attempts = (o.retries ?? 6) + 1;
  return retrying(fn, {
    attempts,
    backoff: fullJitter(o.minTimeoutMs ?? 200, o.maxTimeoutMs ?? 10_000, o.random),
    signal: o.signal,
    sleep: o.sleep,
    onRetry: (error, attempt, waitMs) => {
      if (error.code === 'token_expired' && !error.details?.urlExpired) tokens?.invalidate();
      o.onRetry?.(error);
      o.logger?.log('warn', 'retry', { what: o.what, attempt, retriesLeft: attempts - attempt, waitMs, error: error.message, code: error.code });
    },
  });
}
