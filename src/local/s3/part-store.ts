/**
 * What the gateway knows of each multipart upload it started (bucket, key, checksum algorithm)
 * and of each part it validated (size, ETag, digests), kept on disk under the stack's data
 * folder so a CompleteMultipartUpload after a restart of the local stack is still checked: the
 * rig resumes uploads across reboots, and so may the stack.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReceivedPart } from './rules/completion.js';
import type { UploadChecksum, UploadRecord } from './rules/multipart.js';
import { int, mapOf, obj, oneOf, opt, str } from '../../core/shape.js';
import { storedRecord, type StoredRecord } from '../../core/stored-record.js';

/** A part as validated: size, ETag and the digests received (base64; CRC32C always). */
export interface PartRecord extends ReceivedPart {
  /** Absent only in records of an earlier gateway (UploadChecksum.legacy). */
  etag?: string;
}

/** An upload begun and neither completed nor aborted. */
export interface OpenUpload extends UploadRecord {
  uploadId: string;
  /** ISO 8601. */
  initiated: string;
}

const UPLOAD_FILE = '_upload.json';

const HINT = 'nothing to do: the upload is unknown to the gateway (NoSuchUpload / InvalidPart) and the client starts it again';

/** `_upload.json`: `v` is absent in records of an earlier gateway (UploadChecksum.legacy). */
const UPLOAD = storedRecord({
  what: 'gateway upload record',
  hint: HINT,
  shape: obj({
    v: opt(int),
    uploadId: str,
    bucket: str,
    key: str,
    initiated: str,
    algorithm: opt(oneOf('crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256')),
    type: opt(oneOf('COMPOSITE', 'FULL_OBJECT')),
  }),
});

/** `<n>.json`: an earlier gateway kept the digests at the top level and no ETag. */
const PART = storedRecord({
  what: 'gateway part record',
  hint: HINT,
  shape: obj({
    size: int,
    etag: opt(str),
    checksums: opt(mapOf(str)),
    crc32c: opt(str),
    sha256: opt(str),
  }),
});

/** A record read through its declaration; undefined when it is missing or damaged (the callers' answer is the same). */
async function readChecked<T>(path: string, record: StoredRecord<T>): Promise<T | undefined> {
  try {
    return record.parse(await readFile(path), path);
  } catch {
    return undefined;
  }
}

/** Upload and part records, one folder per upload id under the stack's data folder. */
export class PartStore {
  constructor(private readonly dir: string) {}

  private folder(uploadId: string): string {
    return join(this.dir, createHash('sha1').update(uploadId).digest('hex'));
  }

  /**
   * Records an upload started through this gateway: where (bucket and key: its parts and its
   * completion must name the same), when (ListMultipartUploads, the lifecycle rule) and with
   * which checksum (its parts and completion must use it).
   */
  async begin(uploadId: string, info: { bucket: string; key: string; initiated: Date } & UploadChecksum): Promise<void> {
    await mkdir(this.folder(uploadId), { recursive: true });
    const record = {
      v: 2,
      uploadId,
      bucket: info.bucket,
      key: info.key,
      initiated: info.initiated.toISOString(),
      algorithm: info.algorithm,
      type: info.type,
    };
    await writeFile(join(this.folder(uploadId), UPLOAD_FILE), JSON.stringify(record));
  }

  /** The open upload `uploadId`, or undefined (never begun here, completed, aborted or unreadable). */
  async upload(uploadId: string): Promise<OpenUpload | undefined> {
    const u = await readChecked(join(this.folder(uploadId), UPLOAD_FILE), UPLOAD);
    if (u?.uploadId !== uploadId) return undefined;
    const { v, ...open } = u;
    // Written before records carried a version (and the algorithm): see UploadChecksum.legacy.
    return v === undefined ? { ...open, legacy: true } : open;
  }

  /** Uploads begun and neither completed nor aborted, in `bucket` under `prefix`, by key then id. */
  async uploads(bucket: string, prefix = ''): Promise<OpenUpload[]> {
    const out: OpenUpload[] = [];
    for (const d of await readdir(this.dir).catch(() => [] as string[])) {
      // Ended meanwhile, or damaged: not listed.
      const u = await readChecked(join(this.dir, d, UPLOAD_FILE), UPLOAD);
      if (u && u.bucket === bucket && u.key.startsWith(prefix)) out.push(u);
    }
    return out.sort((a, b) => (a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
  }

  /** Whether any record of the upload is kept (begun here and not ended). */
  async has(uploadId: string): Promise<boolean> {
    return (await stat(this.folder(uploadId)).catch(() => undefined)) !== undefined;
  }

  async set(uploadId: string, partNumber: number, rec: PartRecord): Promise<void> {
    await mkdir(this.folder(uploadId), { recursive: true });
    await writeFile(join(this.folder(uploadId), `${partNumber}.json`), JSON.stringify(rec));
  }

  /** The records of `partNumbers` that were received (a part never received is absent). */
  async get(uploadId: string, partNumbers: number[]): Promise<Map<number, PartRecord>> {
    const out = new Map<number, PartRecord>();
    for (const n of partNumbers) {
      // Never received (or damaged): the completion answers InvalidPart.
      const rec = await readChecked(join(this.folder(uploadId), `${n}.json`), PART);
      // Records of an earlier gateway kept the digests at the top level and no ETag.
      if (rec) out.set(n, { ...rec, checksums: rec.checksums ?? { crc32c: rec.crc32c, sha256: rec.sha256 } });
    }
    return out;
  }

  async end(uploadId: string): Promise<void> {
    await rm(this.folder(uploadId), { recursive: true, force: true });
  }
}
