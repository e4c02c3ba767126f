/**
 * File writes in calls of at most 1 MB. A write call of 2 MB or more lets the kernel (6.x, ext4
 * with large folios) back it with 2 MB page-cache folios; on a VM that hands free memory back to
 * its host (free page reporting) those come cold and cost ten times the system time: 600 MB
 * written in 2 MB or 4 MB calls took 1.9-2.2 s, in 1 MB calls 0.13-0.18 s (dd, after 3 s idle;
 * docs/performance.md). Every local writer of bulk data goes through this limit.
 */
import type { FileHandle } from 'node:fs/promises';

export const MAX_WRITE = 1024 * 1024;

/** One write call: `length` bytes from the start of `buffer` at `position` (null: the file position). */
export type WriteCall<P extends number | null> = (buffer: Buffer, length: number, position: P) => Promise<number>;

/** Writes all `length` bytes of `buffer` through `write`, in calls of at most MAX_WRITE. */
export async function writeAll<P extends number | null>(write: WriteCall<P>, buffer: Buffer, length: number, position: P): Promise<void> {
  for (let done = 0; done < length; ) {
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
