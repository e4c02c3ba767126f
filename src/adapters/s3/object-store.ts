/**
 * ObjectStore over the AWS SDK (S3 on AWS, the verifying gateway locally). Contract in
 * src/core/ports.ts. Bodies are sent with an explicit length and no aws-chunked framing.
 */
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore, OpenUpload, PutOptions, StreamPutOptions, StreamPutResult } from '../../core/ports.js';
import { translateS3Error } from './errors.js';
import { streamPut } from './stream-put.js';

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client, readonly bucket: string) {}

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

  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    try {
      const r = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: options.contentType,
          IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
          IfMatch: options.ifMatch,
        }),
      );
      return { key, size: bytes.length, etag: r.ETag };
    } catch (e) {
      throw translateS3Error(e, this.what(key));
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
        const r = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: idMarker }));
        for (const u of r.Uploads ?? []) if (u.Key && u.UploadId) out.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) });
        [keyMarker, idMarker] = r.IsTruncated ? [r.NextKeyMarker, r.NextUploadIdMarker] : [undefined, undefined];
      } while (keyMarker);
    } catch (e) {
      throw translateS3Error(e, `multipart uploads in s3://${this.bucket}/${prefix}*`);
    }
    return out;
  }
}
