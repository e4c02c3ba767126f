/** S3 errors of the multipart calls, as RecpipeErrors classified by what the caller should do. */
import { RecpipeError } from '../../core/errors.js';

interface S3ErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function translateS3Error(e: unknown, key: string): RecpipeError {
  if (e instanceof RecpipeError) return e;
  const err = (e ?? {}) as S3ErrorLike;
  const status = err.$metadata?.httpStatusCode;
  const name = err.name ?? 'Error';
  // 409 ConditionalRequestConflict: another completion of the key ran at the same time. The
  // completion handler then looks at what is stored, as after a 412.
  if (status === 412 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 409) {
    return new RecpipeError('conflict', `object ${key} already exists; recpipe never overwrites raw data`, { cause: e });
  }
  if (name === 'NoSuchUpload' || status === 404) {
    return new RecpipeError('not_found', `no such multipart upload for ${key} (it was completed or aborted)`, { hint: 'start the file again', cause: e });
  }
  if (name === 'InvalidPart' || name === 'InvalidPartOrder' || name === 'BadDigest' || name === 'InvalidDigest' || status === 400) {
    return new RecpipeError('integrity', `store rejected the parts of ${key}: ${name}`, { hint: 'the parts do not match what was uploaded; upload them again', cause: e });
  }
  if (status === undefined || status >= 500 || status === 429 || name === 'SlowDown') {
    return new RecpipeError('unavailable', `object store unavailable for ${key}: ${name}`, { retryable: true, cause: e });
  }
  return new RecpipeError('unavailable', `object store refused ${key}: ${name} (HTTP ${status})`, { retryable: false, cause: e });
}
