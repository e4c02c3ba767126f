/**
 * ObjectStore over the AWS SDK (S3 on AWS, the verifying gateway locally). Contract in
 * src/core/ports.ts. Bodies are sent with an explicit length and no aws-chunked framing.
 */
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore, OpenUpload, PutOptions, StreamPutOptions, StreamPutResult } from '../../core/ports.js';
import { RecpipeError } from '../../core/errors.js';
import { translateS3Error } from './errors.js';
import { streamPut } from './stream-put.js';

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  private what(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      const checksums = r.ChecksumSHA256 || r.ChecksumCRC32C ? { sha256: r.ChecksumSHA256, crc32c: r.ChecksumCRC32C } : undefined;
      return { key, size: r.ContentLength ?? 0, etag: r.ETag, lastModified: r.LastModified, checksums };
    } catch (e) {
      const err = translateS3Error(e, this.what(key));
      if (err.code === 'not_found') return undefined;
      // A HEAD answer has no body: S3 says 403 both for "may not read it" and for "missing, and
      // you may not list the bucket". Neither is "absent", so say which grant makes it a 404.
      if (err.code === 'forbidden') {
        throw new RecpipeError(
          'forbidden',
          `${this.what(key)}: S3 answered 403 to a HEAD (the key is missing and the caller lacks s3:ListBucket, or may not read it)`,
          {
            hint: `grant s3:ListBucket on bucket ${this.bucket} with no s3:prefix condition (only then does S3 answer 404 for a missing key) and s3:GetObject on the key`,
            cause: e,
          },
        );
      }
      throw err;
    }
  }

  async get(key: string): Promise<Buffer> {
    const stream = await this.getStream(key);
    const chunks: Buffer[] = [];
    try {
      for await (const c of stream) chunks.push(c as Buffer);
    } catch (e) {
      throw translateS3Error(e, this.what(key));
    }
    return Buffer.concat(chunks);
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return r.Body as Readable;
    } catch (e) {
      throw translateS3Error(e, this.what(key));
    }
  }

  async presignGet(key: string, expiresInSec: number): Promise<string> {
    try {
      return await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSec });
    } catch (e) {
      throw translateS3Error(e, this.what(key));
    }
  }

  /**
   * Every put carries x-amz-checksum-sha256: S3 refuses a PutObject into an Object Lock bucket
   * with a default retention (the raw bucket) that has neither Content-MD5 nor a checksum
   * header, and the client is built with requestChecksumCalculation WHEN_REQUIRED, so the SDK
   * would add none by itself. The store also checks the body against it (BadDigest).
   */
  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    try {
      const r = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.length,
          ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
          ContentType: options.contentType,
          IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
          IfMatch: options.ifMatch,
        }),
      );
      return { key, size: bytes.length, etag: r.ETag };
    } catch (e) {
      const err = translateS3Error(e, this.what(key));
      // S3 answers If-Match on a missing key with 404 NoSuchKey, not 412: for the caller it is
      // the same failed compare-and-swap (the version it expected is not there).
      if (options.ifMatch !== undefined && err.code === 'not_found')
        throw new RecpipeError('conflict', `${this.what(key)} no longer exists: the version it was to replace (If-Match ${options.ifMatch}) is gone`, {
          cause: e,
        });
      throw err;
    }
  }

  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: StreamPutOptions): Promise<StreamPutResult> {
    return streamPut(this.client, this.bucket, key, body, options);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of r.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag, lastModified: o.LastModified });
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw translateS3Error(e, `s3://${this.bucket}/${prefix}*`);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listUploads(prefix: string): Promise<OpenUpload[]> {
    const out: OpenUpload[] = [];
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    try {
      do {
        const r = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: idMarker }),
        );
        for (const u of r.Uploads ?? []) if (u.Key && u.UploadId) out.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) });
        [keyMarker, idMarker] = r.IsTruncated ? [r.NextKeyMarker, r.NextUploadIdMarker] : [undefined, undefined];
      } while (keyMarker);
    } catch (e) {
      throw translateS3Error(e, `multipart uploads in s3://${this.bucket}/${prefix}*`);
    }
    return out;
  }
}
