/**
 * `recpipe pull --sync` on disk: what an earlier pull put in the destination and this one does
 * not list is taken out, if it is still what recpipe put there (core/pull/sync-plan.ts decides;
 * a file whose time changed is hashed first). Folders left empty by a removal go too, up to the
 * destination; nothing else is touched.
 */
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { planSync, type OnDisk, type Pulled } from '../../core/pull/sync-plan.js';
import { sha256File, type State } from './local-state.js';

/** What a sync takes out and what it leaves because it changed since it was pulled. */
export interface SyncDecision {
  remove: string[];
  changed: string[];
}

/** Decides, reading the disk (sizes, times, and hashes where they must). */
export async function decideSync(dest: string, wanted: ReadonlySet<string>, state: State, manifest: ReadonlyMap<string, Pulled>): Promise<SyncDecision> {
  const pulled = new Map<string, Pulled>(manifest);
  for (const [path, r] of Object.entries(state)) pulled.set(path, { sha256: r.sha256, size: r.size, mtimeMs: r.mtimeMs });
  const onDisk = new Map<string, OnDisk>();
  for (const path of pulled.keys()) {
    if (wanted.has(path)) continue;
    const s = await stat(join(dest, path)).catch(() => undefined);
    if (s?.isFile()) onDisk.set(path, { size: s.size, mtimeMs: s.mtimeMs });
  }
  const plan = planSync({ wanted, pulled, onDisk });
  const remove = [...plan.remove];
  const changed = [...plan.changed];
  for (const v of plan.verify) ((await sha256File(join(dest, v.path))) === v.sha256 ? remove : changed).push(v.path);
  return { remove: remove.sort(), changed: changed.sort() };
}

/** Removes the decided files, forgets them in `state`, and removes the folders they leave empty. */
export async function applySync(dest: string, remove: string[], state: State): Promise<void> {
  const dirs = new Set<string>();
  for (const path of remove) {
    await rm(join(dest, path), { force: true });
    delete state[path];
    for (let d = dirname(path); d !== '.' && d !== ''; d = dirname(d)) dirs.add(d);
  }
  // Deepest first, so a session folder goes after its version folders.
  for (const d of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
    if ((await readdir(join(dest, d)).catch(() => ['?'])).length === 0) await rmdir(join(dest, d)).catch(() => undefined);
  }
}
