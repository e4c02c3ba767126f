/**
 * The one way recpipe replaces a small file (state, records, keys, settings): write a temp file
 * beside it, flush it to disk, rename it over the target. A reader, or the next run after a crash,
 * sees the old file or the new one, never a half-written one.
 *
 * fsync policy: the temp file is always fsynced before the rename. Without it a power cut can
 * leave the renamed file empty (the rename reaches the disk before the data does), and a zero-
 * length state or key file is worse than an old one. The directory is not fsynced: after a power
 * cut the rename itself may be lost, which leaves the previous version, and every caller already
 * treats the previous version as valid (it re-checks or redoes the work). These files are small
 * and written at most once per transferred range or state change, so the flush costs little.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Options of an atomic write. */
export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o644); 0o600 for secrets. */
  mode?: number;
  /** Mode of the parent folders created if missing (default: the umask's). */
  dirMode?: number;
  /**
   * false: no fsync. Only for files trusted on the boot that wrote them and no longer (a pull's
   * range records): a crash of the process keeps the page cache, so the rename is still atomic,
   * and after a power cut the file is not trusted anyway. An fsync there also costs more than
   * its own bytes: on ext4 it commits the journal and with it the data of other files being
   * written (the download itself).
   */
  sync?: boolean;
}

/** A temp name unique per process and call, so concurrent writers never share one. */
const tempFor = (path: string) => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Replaces `path` with `data` atomically and durably (see the fsync policy above). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, o: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: o.dirMode });
  const tmp = tempFor(path);
  try {
    const fh = await open(tmp, 'w', o.mode ?? 0o644);
    try {
      await fh.writeFile(data);
      // The mode given to open is masked by the umask; a secret must not depend on it.
      if (o.mode !== undefined) await fh.chmod(o.mode);
      if (o.sync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The synchronous twin of writeFileAtomic, for callers that cannot await (same policy). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, o: AtomicWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true, mode: o.dirMode });
  const tmp = tempFor(path);
  try {
    const fd = openSync(tmp, 'w', o.mode ?? 0o644);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off);
      if (o.mode !== undefined) fchmodSync(fd, o.mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
