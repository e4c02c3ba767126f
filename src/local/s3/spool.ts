/**
 * Receives a request body into a temp file while counting bytes and computing the digests
 * the gateway must check (CRC32C, SHA-256). Nothing reaches s3rver before the body is known
 * good, so a bad body is never stored, not even partially.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { crc32, crc32c } from '@node-rs/crc32';

export interface Spooled {
  path: string;
  size: number;
  /** base64 of the big-endian CRC32C. */
  crc32c: string;
  /** Only when asked for (a signed payload hash or x-amz-checksum-sha256 to check). */
  sha256Hex?: string;
  sha256B64?: string;
  /** Only when asked for (the client sent Content-MD5 / x-amz-checksum-crc32). */
  md5B64?: string;
  crc32?: string;
  discard(): Promise<void>;
}

let counter = 0;

export function crc32cBase64(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b.toString('base64');
}

/**
 * Spools `req` to tmpDir; `onBytes` sees the running count and may abort by returning false.
 * `flipAt` (fault injection) corrupts the byte at that offset as if damaged in transit.
 */
export async function spoolBody(
  req: IncomingMessage,
  tmpDir: string,
  flipAt: number | undefined,
  onBytes: (total: number) => boolean,
  extra: { sha256?: boolean; md5?: boolean; crc32?: boolean } = {},
): Promise<Spooled | undefined> {
  const path = join(tmpDir, `body-${process.pid}-${++counter}`);
  const out = createWriteStream(path);
  // A write still in the thread pool when the client goes away completes after destroy() and
  // reports ERR_STREAM_DESTROYED: without a listener that would crash the whole stack.
  let writeError: Error | undefined;
  out.on('error', (e) => (writeError ??= e));
  const abandon = async () => {
    if (!out.destroyed) out.destroy();
    if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
    await discard();
  };
  // CRC32C is always kept (multipart records); the slower digests only when they will be checked.
  const sha = extra.sha256 ? createHash('sha256') : undefined;
  const md5 = extra.md5 ? createHash('md5') : undefined;
  let crc = 0;
  let plainCrc = 0;
  let size = 0;
  const discard = () => rm(path, { force: true });
  try {
    for await (const chunk of req) {
      let b = chunk as Buffer;
      if (flipAt !== undefined && flipAt >= size && flipAt < size + b.length) {
        b = Buffer.from(b);
        b[flipAt - size] ^= 0xff;
      }
      size += b.length;
      if (!onBytes(size)) {
        await abandon();
        return undefined;
      }
      crc = crc32c(b, crc);
      if (extra.crc32) plainCrc = crc32(b, plainCrc);
      md5?.update(b);
      sha?.update(b);
      if (writeError) throw writeError;
      if (!out.write(b)) {
        await new Promise<void>((r) => {
          // Both listeners go once either fires (a leftover 'close' per drain piles up on big bodies).
          const go = () => {
            out.off('drain', go).off('close', go);
            r();
          };
          out.once('drain', go).once('close', go);
        });
      }
    }
    if (writeError) throw writeError;
  } catch {
    await abandon();
    return undefined;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const digest = sha?.digest();
  return {
    path,
    size,
    crc32c: crc32cBase64(crc),
    sha256Hex: digest?.toString('hex'),
    sha256B64: digest?.toString('base64'),
    md5B64: md5?.digest('base64'),
    crc32: extra.crc32 ? crc32cBase64(plainCrc) : undefined,
    discard,
  };
}
