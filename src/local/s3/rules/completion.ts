/**
 * CompleteMultipartUpload as S3 checks it: the body lists at least one part, in strictly
 * ascending part-number order (a part listed twice is out of order too), each part was uploaded
 * with the listed ETag, and the listed checksums follow the algorithm the upload was created
 * with; every part but the last is at least the minimum part size.
 * Recorded AWS answers: test_s3.snapshot.json (test_multipart_complete_multipart_wrong_part,
 * test_complete_multipart_parts_order, test_multipart_complete_multipart_too_small,
 * TestS3MultipartUploadChecksum); AWS documents InvalidPartOrder as "not in ascending order".
 */
import type { ChecksumName } from './checksum-headers.js';
import { failure, type S3Failure } from './failure.js';
import type { UploadChecksum } from './multipart.js';

/** A part as listed in the completion body. */
export interface ListedPart {
  partNumber: number;
  etag: string;
  checksums: Partial<Record<ChecksumName, string>>;
}

/** A part as the stand-in received it (size, ETag, digests). */
export interface ReceivedPart {
  size: number;
  etag?: string;
  checksums: Partial<Record<ChecksumName, string>>;
}

const unquote = (etag: string) => etag.replace(/"/g, '');

function invalidPart(uploadId: string, p: ListedPart): S3Failure {
  return failure(
    400,
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: uploadId, PartNumber: String(p.partNumber), ETag: unquote(p.etag) },
  );
}

/** The checksum type named by the completion's x-amz-checksum-type header must be the upload's. */
export function completionTypeProblem(upload: UploadChecksum, header: string | undefined): S3Failure | undefined {
  if (header === undefined || header.toUpperCase() === upload.type) return undefined;
  return failure(
    400,
    'InvalidRequest',
    `The upload was created using the ${upload.type ?? 'null'} checksum mode. The complete request must use the same checksum mode.`,
  );
}

/** Undefined when the listed parts may be assembled; `received` holds the parts that arrived. */
export function completionProblem(
  uploadId: string,
  upload: UploadChecksum,
  listed: ListedPart[],
  received: Map<number, ReceivedPart>,
  minPartSize: number,
): S3Failure | undefined {
  if (listed.length === 0) return failure(400, 'InvalidRequest', 'You must specify at least one part');
  for (let i = 1; i < listed.length; i++) {
    if (listed[i].partNumber <= listed[i - 1].partNumber)
      return failure(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { UploadId: uploadId });
  }
  for (const p of listed) {
    const got = received.get(p.partNumber);
    const etagKnown = got?.etag !== undefined || !upload.legacy;
    if (!got || (etagKnown && unquote(got.etag ?? '') !== unquote(p.etag))) return invalidPart(uploadId, p);
    const problem = partChecksumsProblem(uploadId, upload, p, got);
    if (problem) return problem;
  }
  for (const p of listed.slice(0, -1)) {
    if (received.get(p.partNumber)!.size < minPartSize) return failure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
  }
  return undefined;
}

function partChecksumsProblem(uploadId: string, upload: UploadChecksum, p: ListedPart, got: ReceivedPart): S3Failure | undefined {
  const named = Object.keys(p.checksums) as ChecksumName[];
  if (upload.legacy) return named.some((a) => p.checksums[a] !== got.checksums[a]) ? invalidPart(uploadId, p) : undefined;
  // An upload created without a checksum algorithm takes no part checksums at all.
  if (!upload.algorithm) return named.length > 0 ? invalidPart(uploadId, p) : undefined;
  const other = named.find((a) => a !== upload.algorithm);
  if (other) return failure(400, 'BadDigest', `The ${other} you specified for part ${p.partNumber} did not match what we received.`);
  const value = p.checksums[upload.algorithm];
  if (value === undefined)
    return failure(
      400,
      'InvalidRequest',
      `The upload was created using a ${upload.algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${p.partNumber} in the request.`,
    );
  return value === got.checksums[upload.algorithm] ? undefined : invalidPart(uploadId, p);
}
