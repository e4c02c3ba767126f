/**
 * In-memory ObjectStore with the contract of core/ports.ts (head undefined when missing, get
 * not_found, put ifNoneMatch/ifMatch -> conflict, list sorted). For unit tests and fakes.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { RecpipeError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore, OpenUpload, PutOptions, StreamPutOptions, StreamPutResult } from '../../core/ports.js';

interface Stored {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType?: string;
  /** A multipart object's composite CRC32C, as S3 keeps it (set by MemoryPresigner). */
  crc32c?: string;
}

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Stored>();

  constructor(readonly bucket = 'memory-bucket') {}

  async head(key: string): Promise<ObjectInfo | undefined> {
    const o = this.objects.get(key);
    return o ? this.info(key, o) : undefined;
  }

  async get(key: string): Promise<Buffer> {
    return Buffer.from(this.must(key).body);
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const body = this.must(key).body;
    return Readable.from([range ? body.subarray(range.start, range.end + 1) : body]);
  }

  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const existing = this.objects.get(key);
    if (options.ifNoneMatch && existing) throw new RecpipeError('conflict', `object ${key} already exists in ${this.bucket}`);
    if (options.ifMatch !== undefined && (!existing || existing.etag !== options.ifMatch)) {
      throw new RecpipeError('conflict', `object ${key} in ${this.bucket} changed (etag does not match ${options.ifMatch})`);
    }
    const buf = Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(body, 'utf8');
    const stored: Stored = { body: buf, etag: `"${createHash('md5').update(buf).digest('hex')}"`, lastModified: new Date(), contentType: options.contentType };
    this.objects.set(key, stored);
    return this.info(key, stored);
  }

  /** Streamed puts seen, with the largest chunk each received (tests prove bounded buffers with it). */
  readonly streamPuts: { key: string; bytes: number; maxChunk: number }[] = [];

  async putStream(key: string, body: AsyncIterable<Uint8Array>, options: StreamPutOptions = {}): Promise<StreamPutResult> {
    const chunks: Buffer[] = [];
    let maxChunk = 0;
    for await (const c of body) {
      chunks.push(Buffer.from(c));
      maxChunk = Math.max(maxChunk, c.byteLength);
    }
    const buf = Buffer.concat(chunks);
    await options.beforeComplete?.();
    const info = await this.put(key, buf, { contentType: options.contentType });
    this.streamPuts.push({ key, bytes: buf.length, maxChunk });
    return { ...info, sha256: createHash('sha256').update(buf).digest('hex') };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, o]) => this.info(k, o));
  }

  /** Open multipart uploads: those a MemoryPresigner over this store started, or set by tests. */
  readonly uploads: OpenUpload[] = [];

  async listUploads(prefix: string): Promise<OpenUpload[]> {
    return this.uploads.filter((u) => u.key.startsWith(prefix));
  }

  /** Records the composite CRC32C S3 would keep for a multipart object stored under `key`. */
  setCrc32c(key: string, value: string): void {
    this.must(key).crc32c = value;
  }

  /** Test helper: every key held. */
  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  private must(key: string): Stored {
    const o = this.objects.get(key);
    if (!o) throw new RecpipeError('not_found', `no object ${key} in ${this.bucket}`);
    return o;
  }

  private info(key: string, o: Stored): ObjectInfo {
    return {
      key,
      size: o.body.length,
      etag: o.etag,
      lastModified: o.lastModified,
      checksums: { sha256: createHash('sha256').update(o.body).digest('base64'), ...(o.crc32c ? { crc32c: o.crc32c } : {}) },
    };
  }
}
