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

/** The folder of verify's records. */
export const verifyDir = (home: string): string => join(home, 'verify');

/** A JSON record, or `fallback` when it is missing or unreadable (the next run rebuilds it). */
export async function readRecord<T>(home: string, name: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(join(verifyDir(home), name), 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Replaces a record atomically. */
export async function writeRecord(home: string, name: string, value: unknown): Promise<void> {
  await writeFileAtomic(join(verifyDir(home), name), JSON.stringify(value) + '\n');
}
