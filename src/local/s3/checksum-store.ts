/**
 * Sidecar store of the checksums S3 keeps with an object (s3rver keeps none), so HeadObject
 * and GetObject with `x-amz-checksum-mode: ENABLED` can answer like S3. Each record is bound
 * to the object's ETag: a record left behind by an overwrite or delete is simply not served.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { obj, opt, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

export interface StoredChecksums {
  sha256?: string;
  crc32c?: string;
}

/** A sidecar record; a damaged one is served as none (S3 then shows no stored checksum, and clients verify by ETag). */
const SIDECAR = storedRecord({
  what: 'gateway checksum record',
  hint: 'nothing to do: the object is served without its stored checksums',
  shape: obj({ etag: opt(str), sha256: opt(str), crc32c: opt(str) }),
});

export class ChecksumStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(bucket: string, key: string): string {
    return join(this.dir, createHash('sha1').update(`${bucket}\n${key}`).digest('hex') + '.json');
  }

  /** Records the checksums of the object now stored under `etag` (or forgets when none). */
  async set(bucket: string, key: string, etag: string, sums: StoredChecksums): Promise<void> {
    if (!sums.sha256 && !sums.crc32c) return rm(this.file(bucket, key), { force: true });
    await writeFile(this.file(bucket, key), JSON.stringify({ etag: unquote(etag), ...sums }));
  }

  /** The checksums of the object whose current ETag is `etag`, as response headers. */
  async headers(bucket: string, key: string, etag: string): Promise<Record<string, string>> {
    let rec: StoredChecksums & { etag?: string };
    try {
      rec = SIDECAR.parse(await readFile(this.file(bucket, key)), this.file(bucket, key));
    } catch {
      return {};
    }
    if (rec.etag !== unquote(etag)) return {};
    const out: Record<string, string> = {};
    if (rec.sha256) out['x-amz-checksum-sha256'] = rec.sha256;
    if (rec.crc32c) out['x-amz-checksum-crc32c'] = rec.crc32c;
    return out;
  }
}

const unquote = (etag: string) => etag.replace(/"/g, '');

/**
 * S3's composite checksum of a multipart object: the digest of the concatenated binary part
 * digests, then `-<part count>` (crc32c or sha256 by `combine`).
 */
export function compositeChecksum(partsB64: string[], combine: (b: Buffer) => string): string {
  return `${combine(Buffer.concat(partsB64.map((p) => Buffer.from(p, 'base64'))))}-${partsB64.length}`;
}
