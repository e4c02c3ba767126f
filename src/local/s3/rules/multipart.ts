/**
 * Multipart rules S3 applies to CreateMultipartUpload and UploadPart: the checksum algorithm and
 * type an upload is created with, part numbers 1 to 10,000, parts sent with the upload's own
 * checksum algorithm, and an upload id that names an open upload of exactly this bucket and key
 * (else 404 NoSuchUpload, for parts, completion and abort alike).
 * Recorded AWS answers: test_s3.snapshot.json, TestS3MultipartUploadChecksum,
 * test_multipart_no_such_upload, test_multipart_key_validation, test_complete_multipart_parts_order.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { checksumHeaders, type ChecksumName } from './checksum-headers.js';
import { failure, noSuchUpload, notImplemented, type S3Failure } from './failure.js';

/** How an upload's parts are checksummed, as recorded when it was created. */
export interface UploadChecksum {
  algorithm?: ChecksumName;
  type?: 'COMPOSITE' | 'FULL_OBJECT';
  /**
   * Recorded by a gateway that kept neither algorithms nor part ETags (a local stack upgraded
   * with uploads open): completed as it checked them then, listed checksums against received ones.
   */
  legacy?: true;
}

/** What the stand-in remembers of an open upload. */
export interface UploadRecord extends UploadChecksum {
  bucket: string;
  key: string;
}

const ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** The checksum an upload is created with, or S3's refusal (or the stand-in's, for what it cannot check). */
export function createUploadChecksum(h: IncomingHttpHeaders): UploadChecksum | S3Failure {
  const rawAlgorithm = h['x-amz-checksum-algorithm'] === undefined ? undefined : String(h['x-amz-checksum-algorithm']).toUpperCase();
  const rawType = h['x-amz-checksum-type'] === undefined ? undefined : String(h['x-amz-checksum-type']).toUpperCase();
  if (rawAlgorithm !== undefined && !ALGORITHMS.includes(rawAlgorithm))
    return failure(
      400,
      'InvalidRequest',
      `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${ALGORITHMS.join(', ')}]`,
    );
  if (rawType !== undefined && rawAlgorithm === undefined)
    return failure(400, 'InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
  if (rawType !== undefined && rawType !== 'COMPOSITE' && rawType !== 'FULL_OBJECT')
    return failure(400, 'InvalidRequest', `Value for x-amz-checksum-type header is invalid.`);
  if (rawAlgorithm === undefined) return {};
  const algorithm = rawAlgorithm.toLowerCase() as ChecksumName;
  const type = rawType ?? (algorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (type === 'COMPOSITE' && algorithm === 'crc64nvme')
    return failure(400, 'InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  if (type === 'FULL_OBJECT' && (algorithm === 'sha1' || algorithm === 'sha256'))
    return failure(400, 'InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm} checksum algorithm.`);
  if (type === 'FULL_OBJECT') return notImplemented('FULL_OBJECT multipart checksums: use the COMPOSITE type (CRC32C or SHA256)');
  if (algorithm === 'sha1') return notImplemented('SHA1 multipart checksums: use CRC32C or SHA256');
  return { algorithm, type };
}

/** A part number S3 accepts: a whole number from 1 to 10,000. */
export function partNumberProblem(raw: string | undefined): S3Failure | undefined {
  const n = Number(raw);
  if (raw !== undefined && /^\d+$/.test(raw) && n >= 1 && n <= 10_000) return undefined;
  return failure(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
    ArgumentName: 'partNumber',
    ArgumentValue: String(raw),
  });
}

/** Undefined when `upload` is open and was started for this bucket and key. */
export function uploadBindingProblem(uploadId: string, upload: UploadRecord | undefined, bucket: string, key: string): S3Failure | undefined {
  return upload && upload.bucket === bucket && upload.key === key ? undefined : noSuchUpload(uploadId);
}

/** A part must be checksummed with its upload's algorithm, when the upload has one. */
export function partChecksumProblem(upload: UploadChecksum, h: IncomingHttpHeaders): S3Failure | undefined {
  const sent = checksumHeaders(h)[0]?.[0];
  if (!upload.algorithm || !sent || sent === upload.algorithm) return undefined;
  return failure(400, 'InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${upload.algorithm}, actual checksum Type: ${sent}`);
}
