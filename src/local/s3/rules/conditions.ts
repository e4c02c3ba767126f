/**
 * Conditional writes (PutObject, CompleteMultipartUpload), as S3 answers them: `If-None-Match`
 * takes only `*`, `If-Match` takes an ETag (not `*`), never both (501 NotImplemented); a failed
 * condition is 412 PreconditionFailed, and If-Match on a missing key is 404 NoSuchKey.
 * Recorded AWS answers: test_s3_api.snapshot.json, TestS3ObjectWritePrecondition.
 * The raw bucket is write-once: every write to it is treated as `If-None-Match: *` (its
 * bucket policy on AWS refuses a write without one).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { failure, type S3Failure } from './failure.js';

const notImplemented = (header: string, why: string) =>
  failure(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: header, additionalMessage: why });

/** Undefined when the condition headers are ones S3 accepts on a write. */
export function conditionHeaderProblem(h: IncomingHttpHeaders): S3Failure | undefined {
  const ifNoneMatch = h['if-none-match'];
  const ifMatch = h['if-match'];
  if (ifNoneMatch !== undefined && ifMatch !== undefined)
    return notImplemented('If-Match,If-None-Match', 'Multiple conditional request headers present in the request');
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*')
    return notImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
  if (ifMatch === '*') return notImplemented('If-Match', "We don't accept the provided value of If-Match header for this API");
  return undefined;
}

/** Whether the write must look at the object it would replace. */
export function needsCurrent(h: IncomingHttpHeaders, writeOnce: boolean): boolean {
  return writeOnce || h['if-none-match'] !== undefined || h['if-match'] !== undefined;
}

const unquote = (etag: string) => etag.replace(/"/g, '');

/** Undefined when a write with these headers may replace `current` (undefined: no object). */
export function preconditionFailure(h: IncomingHttpHeaders, key: string, current: { etag: string } | undefined, writeOnce: boolean): S3Failure | undefined {
  const failed = (condition: string) =>
    failure(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
  if (current && h['if-none-match'] === '*') return failed('If-None-Match');
  // The raw bucket's write-once rule, in S3's words for the condition the client should have sent.
  if (current && writeOnce) return failed('If-None-Match');
  const ifMatch = h['if-match'];
  if (ifMatch === undefined) return undefined;
  if (!current) return failure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  return unquote(current.etag) === unquote(String(ifMatch)) ? undefined : failed('If-Match');
}
