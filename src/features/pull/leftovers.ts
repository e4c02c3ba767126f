/**
 * What interrupted pulls leave behind in recpipe's layout (`<rig>/<session>/<pipeline>/<version>/`):
 * `<file>.part` and its `<file>.part.ranges`, kept so that the next run can resume. A pull that
 * completes removes those of files it does not want any more; only recpipe's own folders are
 * searched, so nothing of the user's is touched.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LAYOUT_DIRS as LEVELS } from '../../core/pull/sync-plan.js';

async function dirsAt(dir: string, depth: number): Promise<string[]> {
  if (depth === LEVELS.length) return [dir];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) if (e.isDirectory() && LEVELS[depth](e.name)) out.push(...(await dirsAt(join(dir, e.name), depth + 1)));
  return out;
}

/** Removes partial downloads under `dest` except those of `keep` (relative final paths); returns what it removed. */
export async function sweepLeftovers(dest: string, keep: ReadonlySet<string> = new Set()): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of await dirsAt(dest, 0)) {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const base = e.name.endsWith('.part') ? e.name.slice(0, -5) : e.name.endsWith('.part.ranges') ? e.name.slice(0, -12) : undefined;
      if (!e.isFile() || base === undefined) continue;
      const rel = join(dir, base).slice(dest.length + 1);
      if (keep.has(rel)) continue;
      await rm(join(dir, e.name), { force: true });
      removed.push(join(dir, e.name).slice(dest.length + 1));
    }
  }
  return removed;
}
