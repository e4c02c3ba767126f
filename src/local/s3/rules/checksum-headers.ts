/**
 * What S3 checks of a write's integrity headers before reading its body (PutObject,
 * UploadPart): one `x-amz-checksum-<algorithm>` at most, each a base64 digest of the algorithm's
 * length, a `Content-MD5` of 16 bytes, and (Object Lock) one of them on every raw-bucket write.
 * Recorded AWS answers: test_s3.snapshot.json, TestS3PutObjectChecksum and
 * test_s3_invalid_content_md5 (docs/aws-parity.md, "AWS-recorded corpus").
 */
import type { IncomingHttpHeaders } from 'node:http';
import { failure, notImplemented, type S3Failure } from './failure.js';

/** Digest length in bytes of each checksum algorithm S3 knows. */
export const DIGEST_BYTES = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 } as const;

/** A checksum algorithm, as its header names it (`x-amz-checksum-<name>`). */
export type ChecksumName = keyof typeof DIGEST_BYTES;

/** The algorithms the stand-in can verify (the others are refused, never passed unchecked). */
export const VERIFIED: readonly ChecksumName[] = ['crc32', 'crc32c', 'sha256'];

const VALUE_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

/** The checksum value headers of a request, as [algorithm, value] pairs. */
export function checksumHeaders(h: IncomingHttpHeaders): [ChecksumName, string][] {
  return Object.keys(h)
    .map((k) => VALUE_HEADER.exec(k)?.[1] as ChecksumName | undefined)
    .filter((a): a is ChecksumName => a !== undefined)
    .map((a) => [a, String(h[`x-amz-checksum-${a}`])]);
}

/** Whether `value` is canonical base64 of exactly `bytes` bytes. */
export function isDigest(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes && Buffer.from(value, 'base64').toString('base64') === value;
}

/** Undefined when the write's checksum and Content-MD5 headers are well-formed and checkable. */
export function checksumHeaderProblem(h: IncomingHttpHeaders): S3Failure | undefined {
  const sums = checksumHeaders(h);
  if (sums.length > 1) return failure(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  for (const [algorithm, value] of sums) {
    if (!isDigest(value, DIGEST_BYTES[algorithm])) return failure(400, 'InvalidRequest', `Value for x-amz-checksum-${algorithm} header is invalid.`);
    if (!VERIFIED.includes(algorithm)) return notImplemented(`x-amz-checksum-${algorithm} (it cannot verify it): use x-amz-checksum-sha256, -crc32c or -crc32`);
  }
  const md5 = h['content-md5'];
  if (md5 !== undefined && !isDigest(String(md5), 16)) return failure(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  return undefined;
}

/**
 * Object Lock: a write into a bucket with a default retention (the raw bucket) must carry
 * Content-MD5 or a checksum header (PutObject reference; stricter than AWS for UploadPart).
 */
export function objectLockProblem(h: IncomingHttpHeaders): S3Failure | undefined {
  if (h['content-md5'] || checksumHeaders(h).length > 0) return undefined;
  return failure(400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
}
