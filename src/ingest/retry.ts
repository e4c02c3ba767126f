/**
 * Retries an operation on retryable RecpipeErrors with bounded exponential backoff and jitter;
 * an expired token is refreshed first. Anything else stops at once.
 */
import pRetry, { AbortError } from 'p-retry';
import type { RecpipeError} from '../core/errors.js';
import { isRecpipeError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import type { TokenSource } from './token-source.js';

export interface RetryOptions {
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
  what: string;
}

export function withRetry<T>(fn: () => Promise<T>, tokens: TokenSource | undefined, o: RetryOptions): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await fn();
      } catch (e) {
        if (!isRecpipeError(e) || !e.retryable) throw new AbortError(e as Error);
        if (e.code === 'token_expired' && !e.details?.urlExpired) tokens?.invalidate();
        throw e;
      }
    },
    {
      retries: o.retries ?? 6,
      minTimeout: o.minTimeoutMs ?? 200,
      maxTimeout: o.maxTimeoutMs ?? 10_000,
      factor: 2,
      randomize: true,
      signal: o.signal,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        o.logger?.log('warn', 'retry', { what: o.what, attempt: attemptNumber, retriesLeft, error: error.message, code: (error as RecpipeError).code });
      },
    },
  );
}
