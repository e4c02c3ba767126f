/**
 * What the gateway validated for each uploaded part (size and digests), kept on disk under
 * the stack's data folder so a CompleteMultipartUpload after a restart of the local stack is
 * still checked: the rig resumes uploads across reboots, and so may the stack.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PartRecord {
  size: number;
  /** base64 big-endian CRC32C and base64 SHA-256 of the part as received. */
  crc32c: string;
  sha256?: string;
}

export interface OpenUpload {
  uploadId: string;
  bucket: string;
  key: string;
  /** ISO 8601. */
  initiated: string;
}

const UPLOAD_FILE = '_upload.json';

export class PartStore {
  constructor(private readonly dir: string) {}

  private folder(uploadId: string): string {
    return join(this.dir, createHash('sha1').update(uploadId).digest('hex'));
  }

  /**
   * Marks an upload as started by this gateway (its parts are then required to be known), and
   * remembers where and when, for ListMultipartUploads (s3rver has no such listing).
   */
  async begin(uploadId: string, info?: { bucket: string; key: string; initiated: Date }): Promise<void> {
    await mkdir(this.folder(uploadId), { recursive: true });
    if (info)
      await writeFile(
        join(this.folder(uploadId), UPLOAD_FILE),
        JSON.stringify({ uploadId, bucket: info.bucket, key: info.key, initiated: info.initiated.toISOString() }),
      );
  }

  /** Uploads begun and neither completed nor aborted, in `bucket` under `prefix`, by key then id. */
  async uploads(bucket: string, prefix = ''): Promise<OpenUpload[]> {
    const out: OpenUpload[] = [];
    for (const d of await readdir(this.dir).catch(() => [] as string[])) {
      try {
        const u = JSON.parse(await readFile(join(this.dir, d, UPLOAD_FILE), 'utf8')) as OpenUpload;
        if (u.bucket === bucket && u.key.startsWith(prefix)) out.push(u);
      } catch {
        // begun before uploads were recorded, or ended meanwhile
      }
    }
    return out.sort((a, b) => (a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
  }

  /** Whether the upload was begun through this gateway and is neither completed nor aborted. */
  async has(uploadId: string): Promise<boolean> {
    return (await stat(this.folder(uploadId)).catch(() => undefined)) !== undefined;
  }

  async set(uploadId: string, partNumber: number, rec: PartRecord): Promise<void> {
    await mkdir(this.folder(uploadId), { recursive: true });
    await writeFile(join(this.folder(uploadId), `${partNumber}.json`), JSON.stringify(rec));
  }

  /**
   * The records of `partNumbers`, undefined for a part never received; undefined altogether
   * when the upload was not started through this gateway (nothing to check against).
   */
  async get(uploadId: string, partNumbers: number[]): Promise<Map<number, PartRecord> | undefined> {
    const out = new Map<number, PartRecord>();
    if (!(await stat(this.folder(uploadId)).catch(() => undefined))) return undefined;
    for (const n of partNumbers) {
      try {
        out.set(n, JSON.parse(await readFile(join(this.folder(uploadId), `${n}.json`), 'utf8')) as PartRecord);
      } catch {
        // never received (or unreadable): the caller answers InvalidPart
      }
    }
    return out;
  }

  async end(uploadId: string): Promise<void> {
    await rm(this.folder(uploadId), { recursive: true, force: true });
  }
}
