/**
 * Makes completing a multipart upload idempotent: S3 answers a repeated completion 404
 * NoSuchUpload (or 412 with If-None-Match) although the first one stored the object. Whether the
 * object under the key IS these parts is told by its composite CRC32C, which S3 derives from
 * the parts' own CRC32Cs alone: the same parts give the same value, any other content another.
 */
import type { CompletedPart } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import type { ObjectStore } from '../../core/ports.js';
import { crc32cOf } from './crc32c.js';

/** S3's composite CRC32C of a multipart object: CRC32C of the concatenated part digests, `-<count>`. */
export function compositeCrc32c(parts: Pick<CompletedPart, 'checksum'>[]): string {
  const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksum.value, 'base64')));
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32cOf(joined));
  return `${b.toString('base64')}-${parts.length}`;
}

/**
 * The stored object's ETag when `key` holds exactly `parts`; undefined when nothing is stored
 * there; RecpipeError('conflict') when something else is.
 */
export async function storedAs(raw: ObjectStore, key: string, parts: CompletedPart[]): Promise<{ etag?: string } | undefined> {
  const head = await raw.head(key);
  if (!head) return undefined;
  if (head.checksums?.crc32c === compositeCrc32c(parts)) return { etag: head.etag };
  throw new RecpipeError('conflict', `object ${key} already exists with other content; recpipe never overwrites raw data`, {
    hint: 'a different file was stored under this name: rename the session folder if it is a different recording',
  });
}
