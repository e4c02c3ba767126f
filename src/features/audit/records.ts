/**
 * What `verify` remembers between runs, under `$RECPIPE_HOME/verify/`: when each stored object
 * was last re-hashed and found right (the scrub record), each rig file's hash by path, size, mtime
 * and inode (the rig hash cache), and the last report (read by `status` and the web view).
 *
 * Why RECPIPE_HOME and not the lake: verify stays read-only on the stores (the auditor and EC2
 * node roles can run it), and losing these files costs only work: the next run re-hashes more.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { isRecpipeError, type RecpipeError } from '../../core/errors.js';
import type { StoredRecord } from '../../core/stored-record.js';

/** The folder of verify's records. */
export const verifyDir = (home: string): string => join(home, 'verify');

/** Says that verify's records only cost work when lost. */
export const REBUILT = 'nothing to do: the next `recpipe verify` rebuilds it (remove the file to silence this)';

/**
 * A record read through its declaration, or `fallback` when it is missing or cannot be read; a
 * damaged one (cut short, a field of the wrong type) is handed to `damaged` first (the caller
 * warns, naming the file and field). Either way the next run rebuilds it.
 */
export async function readRecord<T, F = T>(
  home: string,
  name: string,
  record: StoredRecord<T>,
  fallback: F,
  damaged?: (e: RecpipeError) => void,
): Promise<T | F> {
  const path = join(verifyDir(home), name);
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    return fallback;
  }
  try {
    return record.parse(text, path);
  } catch (e) {
    if (!isRecpipeError(e)) throw e;
    damaged?.(e);
    return fallback;
  }
}

/** Replaces a record atomically. */
export async function writeRecord(home: string, name: string, value: unknown): Promise<void> {
  await writeFileAtomic(join(verifyDir(home), name), JSON.stringify(value) + '\n');
}
