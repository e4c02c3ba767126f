/**
 * In-memory Presigner over a MemoryObjectStore. `send()` plays S3's part: it checks the signed
 * length and checksum headers and `If-None-Match: *`, then stores the object or the part, so
 * tests can drive a whole upload without a network. URLs look like `memory://<bucket>/<key>?...`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { RecpipeError } from '../../core/errors.js';
import { s3Error } from '../../core/s3-outcome.js';
import type { Checksum, PresignedRequest } from '../../core/api.js';
import type { Clock } from '../../core/ports.js';
import type { PresignedPart } from '../../core/api-batch.js';
import type { CompletePartInput, PresignCompleteInput, PresignPartInput, PresignPartsInput, PresignPutInput, Presigner } from '../../backend/ports.js';
import { compositeCrc32c } from '../../backend/multipart/stored-as.js';
import { completeMultipartXml } from '../../core/ingest/complete-xml.js';
import type { MemoryObjectStore } from './object-store.js';

interface Upload {
  key: string;
  parts: Map<number, { body: Buffer; etag: string; crc32c: string }>;
}

export function checksumOf(body: Buffer, algorithm: Checksum['algorithm']): string {
  if (algorithm === 'SHA256') return createHash('sha256').update(body).digest('base64');
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32c(body) >>> 0);
  return b.toString('base64');
}

const header = (c: Checksum) => `x-amz-checksum-${c.algorithm.toLowerCase()}`;

export class MemoryPresigner implements Presigner {
  readonly uploads = new Map<string, Upload>();
  /** Every call, for assertions. */
  readonly calls: { op: string; input: unknown }[] = [];

  constructor(
    private readonly store: MemoryObjectStore,
    private readonly clock: Clock,
  ) {}

  async presignPut(input: PresignPutInput): Promise<PresignedRequest> {
    this.calls.push({ op: 'presignPut', input });
    return this.request(
      input.key,
      input.expiresInSec,
      { 'content-length': String(input.size), [header(input.checksum)]: input.checksum.value, 'if-none-match': '*' },
      '',
    );
  }

  async startMultipart(key: string): Promise<{ uploadId: string }> {
    this.calls.push({ op: 'startMultipart', input: { key } });
    const uploadId = randomUUID();
    this.uploads.set(uploadId, { key, parts: new Map() });
    // Listed by the store as S3 lists the bucket's open uploads (ObjectStore.listUploads).
    this.store.uploads.push({ key, uploadId, initiated: this.clock.now() });
    return { uploadId };
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    this.calls.push({ op: 'abortMultipart', input: { key, uploadId } });
    if (this.uploads.get(uploadId)?.key === key) this.end(uploadId);
  }

  /** The upload stops being completable and listed. */
  private end(uploadId: string): void {
    this.uploads.delete(uploadId);
    const listed = this.store.uploads.findIndex((u) => u.uploadId === uploadId);
    if (listed >= 0) this.store.uploads.splice(listed, 1);
  }

  async presignPart(input: PresignPartInput): Promise<PresignedRequest> {
    this.calls.push({ op: 'presignPart', input });
    const query = `&uploadId=${encodeURIComponent(input.uploadId)}&partNumber=${input.partNumber}`;
    return this.request(input.key, input.expiresInSec, { 'content-length': String(input.size), [header(input.checksum)]: input.checksum.value }, query);
  }

  async presignParts(input: PresignPartsInput): Promise<PresignedPart[]> {
    return Promise.all(input.parts.map(async (p) => ({ ...(await this.presignPart({ ...input, ...p })), partNumber: p.partNumber })));
  }

  async completeMultipart(key: string, uploadId: string, parts: CompletePartInput[]): Promise<{ etag?: string }> {
    this.calls.push({ op: 'completeMultipart', input: { key, uploadId, parts } });
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) throw new RecpipeError('not_found', `no multipart upload ${uploadId} for ${key}`);
    const bodies = parts.map((p) => {
      const part = upload.parts.get(p.partNumber);
      if (!part || part.etag !== p.etag || part.crc32c !== p.checksum.value)
        throw new RecpipeError('invalid_session', `part ${p.partNumber} of ${key} does not match what was uploaded`);
      return part.body;
    });
    const info = await this.store.put(key, Buffer.concat(bodies), { ifNoneMatch: true });
    this.store.setCrc32c(key, compositeCrc32c(parts));
    this.end(uploadId);
    return { etag: info.etag };
  }

  /**
   * The completion as a request `send()` plays; the parts travel in `completions` when the API
   * wrote the body, else `send()` reads them from the body the client wrote.
   */
  async presignComplete(input: PresignCompleteInput): Promise<PresignedRequest> {
    this.calls.push({ op: 'presignComplete', input });
    const token = randomUUID();
    this.completions.set(token, input);
    const req = this.request(input.key, input.expiresInSec, { 'if-none-match': '*' }, `&uploadId=${encodeURIComponent(input.uploadId)}&complete=${token}`);
    if (!input.parts) return { ...req, method: 'POST' };
    const body = completeMultipartXml(input.parts);
    return { ...req, method: 'POST', headers: { ...req.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
  }

  private readonly completions = new Map<string, PresignCompleteInput>();

  /** Plays S3 for a presigned request: checks expiry, length, checksum and If-None-Match. Returns the ETag. */
  async send(req: PresignedRequest, body: Buffer, headers: Record<string, string> = req.headers): Promise<string> {
    const url = new URL(req.url);
    // S3's answer to a presigned URL past its expiry, read by the one classifier (as the transport reads it).
    if (this.clock.now().getTime() > Number(url.searchParams.get('expires')))
      throw s3Error({ status: 403, code: 'AccessDenied', message: 'Request has expired' }, req.key);
    for (const [k, v] of Object.entries(req.headers)) if (headers[k] !== v) throw new RecpipeError('forbidden', `signed header ${k} differs`);
    const completion = this.completions.get(url.searchParams.get('complete') ?? '');
    if (completion) return (await this.completeMultipart(completion.key, completion.uploadId, completion.parts ?? partsOfXml(body))).etag ?? '';
    if (Number(headers['content-length']) !== body.length) throw new RecpipeError('invalid_session', 'body length differs from content-length');
    for (const alg of ['SHA256', 'CRC32C'] as const) {
      const sent = headers[`x-amz-checksum-${alg.toLowerCase()}`];
      if (sent !== undefined && sent !== checksumOf(body, alg)) throw new RecpipeError('integrity', `body does not match x-amz-checksum-${alg.toLowerCase()}`);
    }
    const uploadId = url.searchParams.get('uploadId');
    if (uploadId) {
      const upload = this.uploads.get(uploadId);
      if (!upload) throw new RecpipeError('not_found', `no multipart upload ${uploadId}`);
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      upload.parts.set(Number(url.searchParams.get('partNumber')), { body: Buffer.from(body), etag, crc32c: checksumOf(body, 'CRC32C') });
      return etag;
    }
    return (await this.store.put(req.key, body, { ifNoneMatch: headers['if-none-match'] === '*' })).etag ?? '';
  }

  private request(key: string, expiresInSec: number, headers: Record<string, string>, query: string): PresignedRequest {
    const expires = this.clock.now().getTime() + expiresInSec * 1000;
    return {
      url: `memory://${this.store.bucket}/${encodeURIComponent(key)}?expires=${expires}${query}`,
      method: 'PUT',
      headers,
      expiresAt: new Date(expires).toISOString(),
      key,
    };
  }
}

/** The parts a CompleteMultipartUpload body lists (the body core/ingest/complete-xml.ts writes). */
function partsOfXml(body: Buffer): CompletePartInput[] {
  const parts = [
    ...body.toString('utf8').matchAll(/<Part><ChecksumCRC32C>([^<]*)<\/ChecksumCRC32C><ETag>([^<]*)<\/ETag><PartNumber>(\d+)<\/PartNumber><\/Part>/g),
  ];
  return parts.map((m) => ({ partNumber: Number(m[3]), etag: m[2].replace(/&quot;/g, '"'), checksum: { algorithm: 'CRC32C', value: m[1] } }));
}
