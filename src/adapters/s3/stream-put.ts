/**
 * Streamed puts for S3ObjectStore: the body is cut into parts as it arrives and each part is
 * sent with its SHA-256 checksum (S3 verifies it and answers BadDigest on a mismatch), so
 * memory holds one part whatever the object's size. A body that fits one part goes as one
 * checksummed PUT. Nothing is visible before CompleteMultipartUpload; any failure aborts.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { RecpipeError } from '../../core/errors.js';
import type { StreamPutOptions, StreamPutResult } from '../../core/ports.js';
import { translateS3Error } from './errors.js';

const MiB = 1024 * 1024;
/** S3: parts of 5 MiB at least (but the last), 10,000 parts at most. */
const MIN_PART = 5 * MiB;
const MAX_PARTS = 10_000;

/** The part size for a body of about `sizeHint` bytes: 8 MiB, or more to stay under 10,000 parts. */
export function partSizeFor(sizeHint: number | undefined, wanted = 8 * MiB): number {
  const floor = Math.max(MIN_PART, wanted);
  if (!sizeHint) return floor;
  return Math.max(floor, Math.ceil(sizeHint / (MAX_PARTS - 1) / MiB) * MiB);
}

const b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

export async function streamPut(
  client: S3Client,
  bucket: string,
  key: string,
  body: AsyncIterable<Uint8Array>,
  o: StreamPutOptions = {},
): Promise<StreamPutResult> {
  const what = `s3://${bucket}/${key}`;
  // Only the store's own failures are translated: an error of the body (a stream that failed
  // its own check, an aborted attempt) reaches the caller unchanged.
  const send = async <T>(request: Promise<T>): Promise<T> => {
    try {
      return await request;
    } catch (e) {
      throw translateS3Error(e, what);
    }
  };
  const partSize = partSizeFor(o.sizeHint, o.partSizeBytes);
  const whole = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let size = 0;
  let uploadId: string | undefined;
  const parts: { PartNumber: number; ETag?: string; ChecksumSHA256: string }[] = [];
  const take = () => {
    const part = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return part;
  };
  const sendPart = async (part: Buffer) => {
    if (parts.length >= MAX_PARTS) throw new RecpipeError('failed', `${what}: more than ${MAX_PARTS} parts of ${partSize} bytes; pass a sizeHint`);
    uploadId ??= (
      await send(client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: o.contentType, ChecksumAlgorithm: 'SHA256' })))
    ).UploadId;
    const PartNumber = parts.length + 1;
    const ChecksumSHA256 = b64(part);
    const r = await send(
      client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: part, ContentLength: part.length, ChecksumSHA256 })),
    );
    parts.push({ PartNumber, ETag: r.ETag, ChecksumSHA256 });
  };
  try {
    for await (const chunk of body) {
      const c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      whole.update(c);
      size += c.length;
      // Copied: callers may reuse their buffer once the iterator moves on.
      pending.push(Buffer.from(c));
      pendingBytes += c.length;
      if (pendingBytes >= partSize) await sendPart(take());
    }
    let etag: string | undefined;
    if (uploadId === undefined) {
      const part = take();
      await o.beforeComplete?.();
      etag = (
        await send(
          client.send(
            new PutObjectCommand({ Bucket: bucket, Key: key, Body: part, ContentLength: part.length, ContentType: o.contentType, ChecksumSHA256: b64(part) }),
          ),
        )
      ).ETag;
    } else {
      if (pendingBytes > 0) await sendPart(take());
      await o.beforeComplete?.();
      etag = (await send(client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }))))
        .ETag;
    }
    return { key, size, etag, sha256: whole.digest('hex') };
  } catch (e) {
    if (uploadId) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw e;
  }
}
