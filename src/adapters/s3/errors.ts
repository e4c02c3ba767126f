/** Translates S3 SDK failures into RecpipeErrors classified by what the caller should do. */
import { RecpipeError } from '../../core/errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: { code?: string; name?: string };
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'TimeoutError', 'RequestTimeout', 'RequestTimeTooSkewed', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);
/** The SDK wraps some socket errors in a plain Error whose message is all that is left. */
const NETWORK_MESSAGE = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|TimeoutError|^aborted$|Premature close/;
/** The body arrived different from what was signed or declared: corrupted in transit, worth a retry. */
const CORRUPTED = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentSHA256Mismatch', 'IncompleteBody']);

/**
 * not_found (404), conflict (412/409: a precondition failed), forbidden (403), integrity (the
 * store saw another body than was sent; retryable), unavailable (5xx, throttling, network;
 * retryable), failed otherwise. `what` names the bucket and key.
 */
export function translateS3Error(e: unknown, what: string): RecpipeError {
  if (e instanceof RecpipeError) return e;
  const err = (e ?? {}) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const name = err.name ?? err.code ?? '';
  const msg = `${what}: ${err.message ?? name ?? 'unknown error'}`;
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return new RecpipeError('not_found', `${what} does not exist`, { cause: e });
  if (status === 412 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 409) {
    return new RecpipeError('conflict', `${what} was changed or already exists (precondition failed)`, { cause: e });
  }
  if (status === 403) return new RecpipeError('forbidden', msg, { cause: e, hint: 'check the credentials and the bucket policy' });
  if (CORRUPTED.has(name)) {
    return new RecpipeError('integrity', msg, { cause: e, retryable: true, fault: 'system', hint: 'the body was damaged in transit; it is sent again' });
  }
  const codes = [name, err.code ?? '', err.cause?.code ?? '', err.cause?.name ?? ''];
  if ((status !== undefined && status >= 500) || status === 429 || name === 'SlowDown' || name === 'Throttling' || codes.some((c) => RETRYABLE_NETWORK.has(c)) || (status === undefined && NETWORK_MESSAGE.test(err.message ?? ''))) {
    return new RecpipeError('unavailable', msg, { cause: e, retryable: true, hint: 'the object store is unreachable or busy; it is retried automatically' });
  }
  return new RecpipeError('failed', msg, { cause: e, fault: 'system' });
}
