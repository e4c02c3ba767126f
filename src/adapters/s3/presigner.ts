/**
 * Presigner over S3 (and the local verifying gateway). Length, checksum and If-None-Match are
 * SIGNED HEADERS the client must send (not hoisted into the query), so S3 rejects a body of
 * another length or checksum and an overwrite. The client comes from createS3Client, whose
 * requestChecksumCalculation WHEN_REQUIRED keeps the SDK from baking an empty-body CRC32 into URLs.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Checksum, PresignedRequest } from '../../core/api.js';
import type { PresignedPart } from '../../core/api-batch.js';
import { RecpipeError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { CompletePartInput, PresignCompleteInput, PresignPartInput, PresignPartsInput, PresignPutInput, Presigner } from '../../backend/ports.js';
import { completeMultipartXml } from '../../core/ingest/complete-xml.js';
import { s3OutcomeOf } from '../../core/s3-outcome.js';
import { translateS3Error } from './errors.js';
import { partSigner } from './part-signer.js';

const checksumHeader = (c: Checksum) => `x-amz-checksum-${c.algorithm.toLowerCase()}`;
const checksumInput = (c: Checksum) => (c.algorithm === 'SHA256' ? { ChecksumSHA256: c.value } : { ChecksumCRC32C: c.value });

export class S3Presigner implements Presigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
  ) {}

  async presignPut(input: PresignPutInput): Promise<PresignedRequest> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentLength: input.size,
      IfNoneMatch: '*',
      ...checksumInput(input.checksum),
    });
    const headers = { 'content-length': String(input.size), [checksumHeader(input.checksum)]: input.checksum.value, 'if-none-match': '*' };
    return this.sign(command, input.key, headers, input.expiresInSec);
  }

  async startMultipart(key: string): Promise<{ uploadId: string }> {
    try {
      const out = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ChecksumAlgorithm: 'CRC32C' }));
      if (!out.UploadId) throw new RecpipeError('unavailable', `store returned no upload id for ${key}`, { retryable: true });
      return { uploadId: out.UploadId };
    } catch (e) {
      throw translateS3Error(e, `s3://${this.bucket}/${key}`);
    }
  }

  async presignPart(input: PresignPartInput): Promise<PresignedRequest> {
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: input.key,
      UploadId: input.uploadId,
      PartNumber: input.partNumber,
      ContentLength: input.size,
      ...checksumInput(input.checksum),
    });
    const headers = { 'content-length': String(input.size), [checksumHeader(input.checksum)]: input.checksum.value };
    return this.sign(command, input.key, headers, input.expiresInSec);
  }

  /**
   * Many parts of one upload: the first through the SDK, the rest from it (part-signer.ts), each
   * with its own length and CRC32C signed; every part through the SDK if that cannot be reproduced.
   */
  async presignParts(input: PresignPartsInput): Promise<PresignedPart[]> {
    const [first, ...rest] = input.parts;
    if (!first) return [];
    const one = async (p: PresignPartsInput['parts'][number]) => ({ ...(await this.presignPart({ ...input, ...p })), partNumber: p.partNumber });
    const head = await one(first);
    const secret = (await this.client.config.credentials()).secretAccessKey;
    const like = (p: PresignPartsInput['parts'][number]) => ({
      partNumber: p.partNumber,
      size: p.size,
      checksum: { header: checksumHeader(p.checksum), value: p.checksum.value },
    });
    const signer = partSigner(head.url, like(first), secret);
    if (!signer) return [head, ...(await Promise.all(rest.map(one)))];
    return [
      head,
      ...rest.map((p) => ({
        ...head,
        url: signer(like(p)),
        headers: { 'content-length': String(p.size), [checksumHeader(p.checksum)]: p.checksum.value },
        partNumber: p.partNumber,
      })),
    ];
  }

  async completeMultipart(key: string, uploadId: string, parts: CompletePartInput[]): Promise<{ etag?: string }> {
    try {
      const out = await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag, ChecksumCRC32C: p.checksum.value })) },
        }),
      );
      return { etag: out.ETag };
    } catch (e) {
      throw translateS3Error(e, `s3://${this.bucket}/${key}`);
    }
  }

  /** AbortMultipartUpload; S3's NoSuchUpload (unknown, completed or aborted already) is no error. */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    } catch (e) {
      const err = translateS3Error(e, `s3://${this.bucket}/${key}`);
      if (s3OutcomeOf(err) !== 'no-such-upload') throw err;
    }
  }

  /**
   * The completion as a presigned POST (If-None-Match signed; the body is not signed, S3 checks
   * each listed part's ETag and CRC32C itself). S3 may answer 200 with an <Error> body. S3 wants
   * a Content-Length on requests that carry XML (chunked: 411): with the parts given, the body and
   * its length come with the request (the length unsigned, like the body); signed ahead, the
   * client sends its body's length (put-transport.ts does for every body).
   */
  async presignComplete(input: PresignCompleteInput): Promise<PresignedRequest> {
    const command = new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: input.key, UploadId: input.uploadId, IfNoneMatch: '*' });
    const signed = await this.sign(command, input.key, { 'if-none-match': '*' }, input.expiresInSec);
    const request: PresignedRequest = { ...signed, method: 'POST', headers: { ...signed.headers, 'content-type': 'application/xml' } };
    if (!input.parts) return request;
    const body = completeMultipartXml(input.parts);
    return { ...request, headers: { ...request.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
  }

  private async sign(
    command: PutObjectCommand | UploadPartCommand | CompleteMultipartUploadCommand,
    key: string,
    headers: Record<string, string>,
    expiresInSec: number,
  ): Promise<PresignedRequest> {
    const names = new Set(Object.keys(headers));
    const signedAt = this.clock.now();
    const options = {
      expiresIn: expiresInSec,
      signingDate: signedAt,
      signableHeaders: names,
      unhoistableHeaders: new Set([...names].filter((n) => n.startsWith('x-amz-'))),
    };
    const url =
      command instanceof PutObjectCommand
        ? await getSignedUrl(this.client, command, options)
        : command instanceof UploadPartCommand
          ? await getSignedUrl(this.client, command, options)
          : await getSignedUrl(this.client, command, options);
    // The URL must bind exactly the headers the client is told to send: a header signed but not
    // handed out fails every upload; one handed out unsigned could be changed by the holder.
    const signed = new URL(url).searchParams.get('X-Amz-SignedHeaders') ?? '';
    const meant = ['host', ...names].sort().join(';');
    if (signed !== meant) throw new RecpipeError('internal', `presigned URL for ${key} signs "${signed}", expected "${meant}"`);
    return { url, method: 'PUT', headers, expiresAt: new Date(signedAt.getTime() + expiresInSec * 1000).toISOString(), key };
  }
}
