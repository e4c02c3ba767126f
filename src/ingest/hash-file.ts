/**
 * One streaming read per file: whole-file SHA-256 (for the manifest) and, for multipart files,
 * each part's CRC32C (bound into its presigned URL), computed from the same bytes. The read
 * buffer is reused: freshly allocated memory is slow and would make RSS grow with file size.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { crc32c } from '@node-rs/crc32';
import { crc32cBase64 } from './checksums.js';

const CHUNK = 4 * 1024 * 1024;

export interface FileHashes {
  sha256: string;
  /** base64 CRC32C per part, when a part size was given. */
  partCrc32c?: string[];
  size: number;
}

export async function hashFile(path: string, partSize: number | undefined, buffer: Buffer = Buffer.allocUnsafe(CHUNK), onBytes?: (n: number) => void, signal?: AbortSignal): Promise<FileHashes> {
  const fh = await open(path, 'r');
  const sha = createHash('sha256');
  const parts: string[] = [];
  let crc = 0;
  let inPart = 0;
  let size = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      sha.update(chunk);
      size += bytesRead;
      if (partSize) {
        for (let off = 0; off < bytesRead; ) {
          const take = Math.min(partSize - inPart, bytesRead - off);
          crc = crc32c(chunk.subarray(off, off + take), crc);
          inPart += take;
          off += take;
          if (inPart === partSize) {
            parts.push(crc32cBase64(crc));
            crc = 0;
            inPart = 0;
          }
        }
      }
      onBytes?.(bytesRead);
    }
  } finally {
    await fh.close();
  }
  if (partSize && inPart > 0) parts.push(crc32cBase64(crc));
  return { sha256: sha.digest('hex'), partCrc32c: partSize ? parts : undefined, size };
}
