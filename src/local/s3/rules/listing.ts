/**
 * Listing parameters as S3 checks them: `encoding-type` is `url` or absent, and a
 * continuation token is one S3 handed out (400 InvalidArgument otherwise).
 * Recorded AWS answers: test_s3_list_operations.snapshot.json, TestS3ListObjectsV2.
 * The stand-in's tokens carry the last key returned, tagged so that a token it did not issue is
 * recognised (s3rver's own tokens need DES, which Node 17+ lacks: list-objects.ts).
 */
import { failure, type S3Failure } from './failure.js';

const TAG = 'rp1:';

/** Undefined when `encoding-type` is absent or `url`. */
export function encodingTypeProblem(q: Map<string, string>): S3Failure | undefined {
  if (!q.has('encoding-type') || q.get('encoding-type') === 'url') return undefined;
  return failure(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', {
    ArgumentName: 'encoding-type',
    ArgumentValue: q.get('encoding-type')!,
  });
}

/** The continuation token that resumes a listing after `lastKey`. */
export function continuationToken(lastKey: string): string {
  return Buffer.from(TAG + lastKey, 'utf8').toString('base64url');
}

/** The key a token resumes after, or S3's refusal of a token it did not issue. */
export function resumeAfter(token: string): string | S3Failure {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (text.startsWith(TAG) && text.length > TAG.length) return text.slice(TAG.length);
  return failure(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
}
