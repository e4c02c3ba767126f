/** Translates S3 SDK failures into RecpipeErrors classified by what the caller should do. */
import { RecpipeError } from '../../core/errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'TimeoutError', 'RequestTimeout']);

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
  if ((status !== undefined && status >= 500) || status === 429 || name === 'SlowDown' || name === 'Throttling' || RETRYABLE_NETWORK.has(name) || RETRYABLE_NETWORK.has(err.code ?? '')) {
    return new RecpipeError('unavailable', msg, { cause: e, retryable: true, hint: 'the object store is unreachable or busy; it is retried automatically' });
  }
  return new RecpipeError('failed', msg, { cause: e, fault: 'system' });
}
