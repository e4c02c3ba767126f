/**
 * Directories only their owner can enter. The embedded stack keeps raw recordings, keys and
 * credentials on disk; a 0700 directory keeps other local users out whatever mode the files
 * inside were written with (s3rver writes its own files with the process umask).
 */
import { chmodSync, mkdirSync } from 'node:fs';

/** Creates `path` (and missing parents) and makes it 0700, also when it already existed. */
export function ensurePrivateDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
  return path;
}
