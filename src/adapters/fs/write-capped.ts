/**
 * File writes in calls of at most 256 KB. On this VM (kernel 6.18, ext4 with large folios, free
 * memory handed back to the host by free page reporting), page cache for large write calls comes
 * back cold and costs many times the system time. dd of 600 MB after 3 s idle: 1.9-2.2 s of
 * system time in 2-4 MB calls, 0.13-0.18 s in 1 MB calls; later, with colder memory, 1.5-1.6 s
 * in 1 MB calls and 0.8-1.4 s in 256 KB and 64 KB calls. recpipe pull of 600 MB, alternated:
 * 1.25-1.51 s with 1 MB calls, 0.77-1.05 s with 256 KB, 0.92-1.05 s with 64 KB
 * (docs/performance.md). Every local writer of bulk data goes through this limit.
 */
import type { FileHandle } from 'node:fs/promises';

export const MAX_WRITE = 256 * 1024;

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
