/**
 * `recpipe pull --sync`: which files to take out of the destination so that it ends with exactly
 * this pull's files. Only files an earlier recpipe pull put there are candidates (the folder's
 * state and manifest name them), only at paths of recpipe's layout, and only while they are what
 * recpipe put there: a file changed since (same path, other size or time) is hashed first, and
 * kept if its content is not what was pulled. Anything else in the folder is never touched. Pure.
 */
import { fileNameProblem, rigNameProblem } from '../names.js';
import { parseSessionName } from '../session/name.js';

/** What an earlier pull recorded of a file it put at a path (size and time only when its state file saw it land). */
export interface Pulled {
  sha256: string;
  size: number;
  mtimeMs?: number;
}

/** A file on disk now. */
export interface OnDisk {
  size: number;
  mtimeMs: number;
}

export interface SyncInput {
  /** This pull's paths, relative to the destination. */
  wanted: ReadonlySet<string>;
  /** Paths earlier pulls put in the destination, with what they recorded. */
  pulled: ReadonlyMap<string, Pulled>;
  /** The files at those paths now (absent: gone already). */
  onDisk: ReadonlyMap<string, OnDisk>;
}

export interface SyncPlan {
  /** Unchanged since recpipe put them there: removed. */
  remove: string[];
  /** Same path, but size or time differ from the record: removed only if their SHA-256 is still the pulled one. */
  verify: { path: string; sha256: string }[];
  /** Changed since recpipe put them there (another size): kept, and named. */
  changed: string[];
}

const SEGMENT = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The folders of recpipe's layout under a destination, by depth: rig, session, pipeline, version. */
export const LAYOUT_DIRS: readonly ((name: string) => boolean)[] = [
  (n) => rigNameProblem(n) === undefined,
  (n) => parseSessionName(n).ok,
  (n) => SEGMENT.test(n),
  (n) => SEGMENT.test(n),
];

/** Whether `rel` is a path recpipe pull writes: `<rig>/<session>/<pipeline>/<version>/<file>`, each part valid. */
export function isPulledPath(rel: string): boolean {
  const p = rel.split('/');
  const file = p[p.length - 1];
  return (
    p.length === 5 && LAYOUT_DIRS.every((ok, i) => ok(p[i])) && fileNameProblem(file) === undefined && !file.endsWith('.part') && !file.endsWith('.part.ranges')
  );
}

/** The files to take out, and those to hash before deciding. */
export function planSync(input: SyncInput): SyncPlan {
  const plan: SyncPlan = { remove: [], verify: [], changed: [] };
  for (const [path, rec] of [...input.pulled].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const disk = input.onDisk.get(path);
    if (input.wanted.has(path) || !disk || !isPulledPath(path)) continue;
    if (disk.size === rec.size && rec.mtimeMs !== undefined && disk.mtimeMs === rec.mtimeMs) plan.remove.push(path);
    else if (disk.size === rec.size) plan.verify.push({ path, sha256: rec.sha256 });
    // Another size: the user's file now, not recpipe's.
    else plan.changed.push(path);
  }
  return plan;
}
