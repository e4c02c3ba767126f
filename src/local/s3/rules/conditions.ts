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

/** The read-condition headers (GetObject, HeadObject). */
export const READ_CONDITIONS = ['if-match', 'if-unmodified-since', 'if-none-match', 'if-modified-since'] as const;

/**
 * How S3 answers a read's conditions for the stored object, in its order: If-Match, then
 * If-Unmodified-Since (412), then If-None-Match, then If-Modified-Since (304); undefined when the
 * read goes ahead. Recorded: test_s3.snapshot.json, test_s3_get_object_preconditions.
 */
export function readConditionAnswer(h: IncomingHttpHeaders, current: { etag: string; lastModified: Date }): S3Failure | 'not-modified' | undefined {
  const failed = (condition: string) =>
    failure(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
  const etagIn = (list: string) => list.split(',').some((e) => e.trim() === '*' || unquote(e.trim()) === unquote(current.etag));
  const date = (name: string) => {
    const t = Date.parse(String(h[name]));
    return Number.isNaN(t) ? undefined : t;
  };
  const modified = Math.floor(current.lastModified.getTime() / 1000) * 1000;
  const ifMatch = h['if-match'];
  if (ifMatch !== undefined && !etagIn(String(ifMatch))) return failed('If-Match');
  const unmodifiedSince = date('if-unmodified-since');
  if (ifMatch === undefined && unmodifiedSince !== undefined && modified > unmodifiedSince) return failed('If-Unmodified-Since');
  const ifNoneMatch = h['if-none-match'];
  if (ifNoneMatch !== undefined) return etagIn(String(ifNoneMatch)) ? 'not-modified' : undefined;
  const modifiedSince = date('if-modified-since');
  if (modifiedSince !== undefined && modified <= modifiedSince) return 'not-modified';
  return undefined;
}
