/**
 * A raw S3 client for the AWS-recorded corpus: signs requests itself (SigV4 in the header or the
 * query, as the recorded tests did) and sends them over node:http, so a case controls every
 * header, including a missing Content-Length, and reads S3's status and error code back.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { crc32, crc32c } from '@node-rs/crc32';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { uriEncodeKey } from '../../../../src/core/sigv4.js';

/** What came back: status, S3 error code (if any), headers and body text. */
export interface Answer {
  status: number;
  code?: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Send {
  method: string;
  /** A key (object request) or '' (bucket request). */
  key?: string;
  bucket?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body chunked, with no Content-Length (signed as UNSIGNED-PAYLOAD). */
  chunked?: boolean;
}

export interface Presign extends Send {
  expiresIn?: number;
  signingDate?: Date;
  /** Change the URL after signing (drop or alter a parameter). */
  tamper?: (url: URL) => void;
  /** Headers sent with the URL (default: the signed ones). */
  sendHeaders?: Record<string, string>;
}

const b64 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

/** base64 digests as S3 headers carry them. */
export const digest = {
  sha256: (b: Buffer | string) => createHash('sha256').update(b).digest('base64'),
  md5: (b: Buffer | string) => createHash('md5').update(b).digest('base64'),
  crc32c: (b: Buffer | string) => b64(crc32c(Buffer.from(b))),
  crc32: (b: Buffer | string) => b64(crc32(Buffer.from(b))),
};

/** A signed request as it goes on the wire. */
interface Wire {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

export class CorpusClient {
  private readonly signer: SignatureV4;
  private readonly host: string;

  constructor(
    private readonly url: string,
    credentials: { accessKeyId: string; secretAccessKey: string },
    region: string,
    private readonly bucket: string,
  ) {
    this.signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false });
    this.host = new URL(url).host;
  }

  private http(s: Send): HttpRequest {
    const body = s.body === undefined ? Buffer.alloc(0) : Buffer.from(s.body);
    const u = new URL(this.url);
    const headers: Record<string, string> = { host: this.host, ...(s.headers ?? {}) };
    if (!s.chunked && s.method !== 'GET' && s.method !== 'HEAD' && s.method !== 'DELETE') headers['content-length'] ??= String(body.length);
    return new HttpRequest({
      method: s.method,
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: `/${s.bucket ?? this.bucket}/${uriEncodeKey(s.key ?? '')}`,
      query: s.query ?? {},
      headers,
      body,
    });
  }

  /** Sends `s` signed in its Authorization header. */
  async send(s: Send): Promise<Answer> {
    const r = this.http(s);
    const payload = s.chunked
      ? 'UNSIGNED-PAYLOAD'
      : createHash('sha256')
          .update(r.body as Buffer)
          .digest('hex');
    r.headers['x-amz-content-sha256'] = payload;
    const signed = await this.signer.sign(r);
    return this.exchange(signed, r.body as Buffer, s.chunked);
  }

  /** A presigned URL for `s` (signed headers stay headers), sent as `sendHeaders` say. */
  async presigned(s: Presign): Promise<Answer> {
    const r = this.http(s);
    const names = new Set(Object.keys(r.headers).filter((h) => h !== 'host'));
    const signed = await this.signer.presign(r, { expiresIn: s.expiresIn ?? 60, signingDate: s.signingDate, unhoistableHeaders: names });
    const url = new URL(`${this.url}${signed.path}?${new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20')}`);
    s.tamper?.(url);
    const headers: Record<string, string> = { host: this.host, ...(s.sendHeaders ?? s.headers ?? {}) };
    if (r.headers['content-length'] !== undefined) headers['content-length'] ??= r.headers['content-length'];
    return this.exchange({ ...signed, path: url.pathname, query: Object.fromEntries(url.searchParams), headers }, r.body as Buffer, false);
  }

  private exchange(r: Wire, body: Buffer, chunked = false): Promise<Answer> {
    const query = new URLSearchParams((r.query ?? {}) as Record<string, string>).toString().replace(/\+/g, '%20');
    const headers = { ...r.headers };
    if (chunked) headers['transfer-encoding'] = 'chunked';
    return new Promise((resolve, reject) => {
      const req = request({ host: r.hostname, port: r.port, method: r.method, path: r.path + (query ? `?${query}` : ''), headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], headers: res.headers, body: text });
        });
      });
      req.on('error', reject);
      if (chunked) req.write(body);
      req.end(chunked ? undefined : body);
    });
  }
}

/** A part as a CompleteMultipartUpload body lists it. */
export interface ListPart {
  n: number;
  etag: string;
  checksums?: Record<string, string>;
}

const TAG: Record<string, string> = { crc32: 'ChecksumCRC32', crc32c: 'ChecksumCRC32C', sha256: 'ChecksumSHA256', sha1: 'ChecksumSHA1' };

/** The CompleteMultipartUpload body listing `parts` in the given order. */
export function completionXml(parts: ListPart[]): string {
  const items = parts.map(
    (p) =>
      `<Part>${Object.entries(p.checksums ?? {})
        .map(([a, v]) => `<${TAG[a]}>${v}</${TAG[a]}>`)
        .join('')}<ETag>${p.etag}</ETag><PartNumber>${p.n}</PartNumber></Part>`,
  );
  return `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items.join('')}</CompleteMultipartUpload>`;
}

/** Multipart steps of a recorded test's set-up (each must succeed). */
export const steps = {
  async create(s3: CorpusClient, key: string, headers: Record<string, string> = {}): Promise<string> {
    const a = await s3.send({ method: 'POST', key, query: { uploads: '' }, headers });
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec(a.body)?.[1];
    if (a.status !== 200 || !id) throw new Error(`set-up CreateMultipartUpload ${key} answered ${a.status} ${a.code}`);
    return id;
  },
  part: (s3: CorpusClient, key: string, uploadId: string, n: number | string, body: Buffer | string, headers: Record<string, string> = {}) =>
    s3.send({ method: 'PUT', key, query: { partNumber: String(n), uploadId }, headers, body }),
  async uploaded(s3: CorpusClient, key: string, uploadId: string, n: number, body: Buffer | string, headers: Record<string, string> = {}): Promise<string> {
    const a = await steps.part(s3, key, uploadId, n, body, headers);
    if (a.status !== 200) throw new Error(`set-up UploadPart ${n} of ${key} answered ${a.status} ${a.code}`);
    return String(a.headers.etag);
  },
  complete: (s3: CorpusClient, key: string, uploadId: string, parts: ListPart[] | undefined, headers: Record<string, string> = {}) =>
    s3.send({ method: 'POST', key, query: { uploadId }, headers, body: parts ? completionXml(parts) : '' }),
  async put(s3: CorpusClient, key: string, body: Buffer | string = 'test', headers: Record<string, string> = {}): Promise<string> {
    const a = await s3.send({ method: 'PUT', key, body, headers });
    if (a.status !== 200) throw new Error(`set-up PutObject ${key} answered ${a.status} ${a.code}`);
    return String(a.headers.etag);
  },
};
