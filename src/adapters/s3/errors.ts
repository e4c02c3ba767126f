/**
 * The one translation of S3 SDK failures into RecpipeErrors, classified by what the caller should
 * do. Every S3 adapter (object store, streamed puts, presigner) goes through it, so a status or
 * code means the same thing everywhere. The presigned-URL transport reads S3's XML answers
 * itself (src/ingest/put-transport.ts) and follows the same table.
 */
import { RecpipeError } from '../../core/errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: { code?: string; name?: string };
  $metadata?: { httpStatusCode?: number };
}

const RETRYABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
/** The SDK wraps some socket errors in a plain Error whose message is all that is left. */
const NETWORK_MESSAGE = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|TimeoutError|^aborted$|Premature close/;
/**
 * The store received other bytes than the request declared (S3 "BadDigest": the checksum "did
 * not match the calculated checksum"). The same request sent again carries the same declaration,
 * so it is not retryable as it is: the caller must read the source again.
 */
const CORRUPTED = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentSHA256Mismatch', 'IncompleteBody']);
/** A multipart completion that lists parts S3 does not hold as listed. */
const BAD_PARTS = new Set(['InvalidPart', 'InvalidPartOrder']);

/**
 * not_found (404, NoSuchUpload), conflict (412/409: a precondition failed), forbidden (403; on a
 * HEAD that may also be a missing key, see S3ObjectStore.head), integrity (the store saw other
 * bytes or parts than were declared; not retryable as sent), unavailable (5xx, throttling,
 * network; retryable), failed otherwise. `what` names the bucket and key.
 */
export function translateS3Error(e: unknown, what: string): RecpipeError {
  if (e instanceof RecpipeError) return e;
  const err = (e ?? {}) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const name = err.name ?? err.code ?? '';
  const msg = `${what}: ${err.message ?? name ?? 'unknown error'}`;
  if (name === 'NoSuchUpload')
    return new RecpipeError('not_found', `no such multipart upload for ${what} (it was completed or aborted)`, { cause: e, hint: 'start the file again' });
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return new RecpipeError('not_found', `${what} does not exist`, { cause: e });
  // 409 ConditionalRequestConflict: another write of the key ran at the same time.
  if (status === 412 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 409) {
    return new RecpipeError('conflict', `${what} was changed or already exists (precondition failed); recpipe never overwrites it`, { cause: e });
  }
  if (status === 403) return new RecpipeError('forbidden', msg, { cause: e, hint: 'check the credentials and the bucket policy' });
  if (CORRUPTED.has(name)) {
    return new RecpipeError('integrity', msg, {
      cause: e,
      retryable: false,
      fault: 'system',
      hint: 'the bytes sent did not match their declared checksum; send them again from the source',
    });
  }
  if (BAD_PARTS.has(name)) {
    return new RecpipeError('integrity', `store rejected the parts of ${what}: ${name}`, {
      cause: e,
      retryable: false,
      hint: 'the parts do not match what was uploaded; upload them again',
    });
  }
  const codes = [name, err.code ?? '', err.cause?.code ?? '', err.cause?.name ?? ''];
  if (
    (status !== undefined && status >= 500) ||
    status === 429 ||
    name === 'SlowDown' ||
    name === 'Throttling' ||
    codes.some((c) => RETRYABLE_NETWORK.has(c)) ||
    (status === undefined && NETWORK_MESSAGE.test(err.message ?? ''))
  ) {
    return new RecpipeError('unavailable', msg, { cause: e, retryable: true, hint: 'the object store is unreachable or busy; it is retried automatically' });
  }
  return new RecpipeError('failed', msg, { cause: e, fault: 'system' });
}
