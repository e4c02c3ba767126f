/**
 * File writes that finish what they start: a call that writes less than asked is continued, one
 * that writes nothing is a full disk (ENOSPC).
 *
 * Writes were once split into calls of at most 256 KB because on the shared development VM
 * (ext4 with large folios, free memory handed back to the host) large write calls met cold page
 * cache and cost more system time on loopback pulls. That is a quirk of one VM, and on the
 * network-shaped pull benchmark a build without the limit was not slower (2.63 s against
 * 2.87 s, 1.50 against 1.66 CPU s; docs/performance.md), so the limit is gone: MAX_WRITE only
 * keeps one call under Linux's limit of about 2 GiB per write.
 */
import type { FileHandle } from 'node:fs/promises';

export const MAX_WRITE = 1024 * 1024 * 1024;

/** One write call: `length` bytes from the start of `buffer` at `position` (null: the file position). */
export type WriteCall<P extends number | null> = (buffer: Buffer, length: number, position: P) => Promise<number>;

/** Writes all `length` bytes of `buffer` through `write`, continuing after short writes. */
export async function writeAll<P extends number | null>(write: WriteCall<P>, buffer: Buffer, length: number, position: P): Promise<void> {
  for (let done = 0; done < length;) {
    const at = (position === null ? null : position + done) as P;
    const n = await write(done === 0 ? buffer : buffer.subarray(done), Math.min(length - done, MAX_WRITE), at);
    if (n <= 0) throw Object.assign(new Error(`short write (${done} of ${length} bytes)`), { code: 'ENOSPC' });
    done += n;
  }
}

/** Writes `length` bytes of `buffer` to `fh` (at `position`, or at the file position). */
export function writeCapped(fh: FileHandle, buffer: Buffer, length = buffer.length, position?: number): Promise<void> {
  return writeAll<number | null>((b, n, at) => fh.write(b, 0, n, at).then((r) => r.bytesWritten), buffer, length, position ?? null);
}
