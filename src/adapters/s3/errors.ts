/**
 * The SDK path's reading of S3 failures: what the SDK threw becomes an S3Answer (status, S3's
 * code, message, or a failure below HTTP), classified by the one S3 outcome classifier
 * (core/s3-outcome.ts) that the presigned PUT/POST transport and the raw GET reader use too.
 * Every S3 adapter (object store, streamed puts, presigner) goes through it.
 */
import { RecpipeError } from '../../core/errors.js';
import { s3Error, type S3Answer } from '../../core/s3-outcome.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: { code?: string; name?: string };
  $metadata?: { httpStatusCode?: number };
}

/** Socket-level failures, as Node or the SDK name them: no HTTP answer came. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'TimeoutError',
]);
/** The SDK wraps some socket errors in a plain Error whose message is all that is left. */
const NETWORK_MESSAGE = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|TimeoutError|^aborted$|Premature close/;

/** What an SDK error says S3 (or the network) answered. */
export function sdkAnswer(e: unknown): S3Answer {
  const err = (e ?? {}) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const name = err.name && err.name !== 'Error' ? err.name : (err.code ?? '');
  const message = err.message ?? '';
  if (status === undefined) {
    const network = [name, err.code ?? '', err.cause?.code ?? '', err.cause?.name ?? ''].find((c) => NETWORK.has(c));
    if (network ?? NETWORK_MESSAGE.test(message)) return { code: name || undefined, message, network: network ?? 'network' };
  }
  return { status, code: name || undefined, message };
}

/**
 * Translates what the SDK threw into a RecpipeError by the one classifier: not_found (404,
 * NoSuchUpload), conflict (412/409), forbidden (403; on a HEAD that may also be a missing key,
 * see S3ObjectStore.head), integrity (other bytes or parts than declared; not retryable as sent),
 * unavailable (throttling, 5xx, network; retryable), failed otherwise. `what` names bucket and key.
 */
export function translateS3Error(e: unknown, what: string): RecpipeError {
  if (e instanceof RecpipeError) return e;
  return s3Error(sdkAnswer(e), what, { cause: e });
}
