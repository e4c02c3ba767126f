/**
 * `verify --pulled DIR`, pure: each file a pull folder's manifest (recpipe-pull.json) lists,
 * against what is on disk. The fs edge (src/features/audit/pulled-dir.ts) stats and hashes the files.
 */
import { isAbsolute, normalize, sep } from 'node:path';
import { arrayOf, int, obj, opt, str } from '../shape.js';
import { storedRecord } from '../stored-record.js';

/** A file as the pull manifest lists it. */
export interface PulledFile {
  path: string;
  sessionId?: string;
  bytes: number;
  sha256: string;
}

/** What is on disk at a listed path: absent, or its size and (when hashed) its SHA-256. */
export type OnDisk = { exists: false } | { exists: true; size: number; sha256?: string };

export interface PulledProblem {
  path: string;
  sessionId?: string;
  problem: 'unsafe_path' | 'missing' | 'size_differs' | 'checksum_differs';
  message: string;
  next: string;
}

const AGAIN = 'run the same `recpipe pull` again: it fetches the file again and checks it; if it is damaged again, check this disk';

/** Whether a manifest path stays inside the pull folder (no absolute path, no `..`). */
export function safePulledPath(path: string): boolean {
  if (typeof path !== 'string' || path === '' || isAbsolute(path)) return false;
  const n = normalize(path);
  return n !== '..' && !n.startsWith(`..${sep}`) && !n.split(sep).includes('..');
}

/** The problem with one listed file, or undefined when it is on disk as listed. */
export function pulledProblem(f: PulledFile, disk: OnDisk): PulledProblem | undefined {
  const base = { path: f.path, ...(f.sessionId ? { sessionId: f.sessionId } : {}) };
  if (!disk.exists) return { ...base, problem: 'missing', message: 'listed in recpipe-pull.json but not on disk', next: AGAIN };
  if (disk.size !== f.bytes) return { ...base, problem: 'size_differs', message: `${disk.size} bytes on disk, ${f.bytes} in recpipe-pull.json`, next: AGAIN };
  if (disk.sha256 !== undefined && disk.sha256 !== f.sha256)
    return { ...base, problem: 'checksum_differs', message: `SHA-256 ${disk.sha256} on disk, ${f.sha256} in recpipe-pull.json`, next: AGAIN };
  return undefined;
}

/**
 * `recpipe-pull.json` as its readers need it (the path, size and SHA-256 of each file; other
 * fields are kept for people and training scripts and not checked).
 */
export const PULLED_MANIFEST = storedRecord({
  what: 'pull manifest',
  hint: 'pull again into the folder (`recpipe pull --dest DIR`): it rewrites recpipe-pull.json',
  shape: obj({ pulledAt: opt(str), files: arrayOf(obj({ path: str, sessionId: opt(str), bytes: int, sha256: str })) }),
});
