/**
 * What the gateway validated for each uploaded part (size and digests), kept on disk under
 * the stack's data folder so a CompleteMultipartUpload after a restart of the local stack is
 * still checked: the rig resumes uploads across reboots, and so may the stack.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PartRecord {
  size: number;
  /** base64 big-endian CRC32C and base64 SHA-256 of the part as received. */
  crc32c: string;
  sha256?: string;
}

export class PartStore {
  constructor(private readonly dir: string) {}

  private folder(uploadId: string): string {
    return join(this.dir, createHash('sha1').update(uploadId).digest('hex'));
  }

  /** Marks an upload as started by this gateway (its parts are then required to be known). */
  async begin(uploadId: string): Promise<void> {
    await mkdir(this.folder(uploadId), { recursive: true });
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
