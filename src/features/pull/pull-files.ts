/**
 * Downloads indexed files onto this machine: in parallel, streaming, each file hashed into
 * `<final>.part` and renamed into place only when its size and SHA-256 match the index (large
 * files in byte ranges, resumable, over more connections while this process has CPU to spare:
 * fetch-ranged.ts, spread.ts). Files already present and
 * identical are skipped; free space is checked first; an interrupted or failed file never
 * appears at its final path. One pull at a time writes into a destination (dest-lock.ts).
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import type { Backoff } from '../../core/backoff.js';
import type { Logger, Reporter } from '../../core/ports.js';
import type { PullSource } from './lake-source.js';
import { destinationOf, type PullItem } from './plan.js';
import { describeOwner, lockDestination } from './dest-lock.js';
import type { Spread } from './spread.js';
import { download } from './download.js';
import {
  linuxBootId,
  loadManifestFiles,
  loadState,
  MANIFEST_FILE,
  sha256File,
  STATE_FILE,
  writeJsonAtomic,
  type State,
  type StateFile,
} from './local-state.js';
import { applySync, decideSync } from './sync.js';
import { sweepLeftovers } from './leftovers.js';
import { pullManifest, type PullOrigin } from './pull-manifest.js';

export { RAW_GET_MIN_BYTES } from './fetch-body.js';
export { MANIFEST_FILE, STATE_FILE };
export { CONNECTIONS } from './download.js';

export interface PullDeps {
  lake: PullSource;
  reporter: Reporter;
  logger: Logger;
  signal?: AbortSignal;
  /** Free bytes at `dest` (injectable for tests). */
  freeBytes?: (dest: string) => Promise<number>;
  /** This boot of the machine (injectable for tests); undefined where the OS does not say. */
  bootId?: () => Promise<string | undefined>;
  /** Smallest file fetched with the raw GET reader (injectable for tests). */
  rawGetMinBytes?: number;
  /** Largest byte range (files larger are fetched in ranges; injectable for tests). */
  rangeBytes?: number;
  /** Waits before retries (injectable for tests). */
  backoff?: Backoff;
  /** How many connections may join files beyond their own (injectable for tests; default: from the event loop's load). */
  spread?: Spread;
  /** Between two looks at a busy destination lock (injectable for tests). */
  lockPollMs?: number;
}

export interface PullOptions {
  concurrency: number;
  dryRun: boolean;
  /** Flush every file to disk before it is renamed into place. */
  fsync?: boolean;
  /** Connections in flight at once (default CONNECTIONS). */
  connections?: number;
  /** When another pull writes into `dest`: wait for it (default) or refuse (exit 6). */
  wait?: boolean;
  /** Take out what earlier pulls put in `dest` and this one does not list (core/pull/sync-plan.ts). */
  sync?: boolean;
  /**
   * A file already at its path that differs from the index: `overwrite` it (default; named in
   * `replaced`), `skip` it (left as it is, named in `kept`), or stop with an `error` before
   * downloading anything. Identical files are always kept.
   */
  existing?: Existing;
  /** What chose the files, for the manifest. */
  origin?: PullOrigin;
}

export type Existing = 'overwrite' | 'skip' | 'error';

export interface PullResult {
  dest: string;
  files: number;
  downloaded: number;
  skipped: number;
  bytesDownloaded: number;
  totalBytes: number;
  dryRun: boolean;
  manifest?: string;
  /** Local files that differed from the index and were downloaded again (damaged or changed). */
  replaced: string[];
  /** Local files that differ from the index, left as they are (--existing skip). */
  kept: string[];
  /** Files an earlier pull put here that this one took out (--sync; with --dry-run: would take out). */
  removed: string[];
  /** Files an earlier pull put here that changed since, left alone by --sync. */
  changedSinceSync: string[];
  /** Bytes of large files already there from an interrupted pull, not downloaded again. */
  resumedBytes: number;
}

export async function pullFiles(items: PullItem[], dest: string, deps: PullDeps, o: PullOptions): Promise<PullResult> {
  await mkdir(dest, { recursive: true });
  const lock = await lockDestination(dest, {
    wait: o.wait ?? true,
    signal: deps.signal,
    pollMs: deps.lockPollMs,
    onWait: (owner) => deps.reporter.step(`waiting for another recpipe pull into ${dest} (${describeOwner(owner)})`),
  });
  try {
    return await pullLocked(items, dest, deps, o);
  } finally {
    await lock.release();
  }
}

/** A file of the pull and where it lands (absolute and relative to the destination). */
export type Planned = { f: PullItem; path: string; rel: string };

/** What the destination holds of the planned files: what to download, what differs and what happens to it. */
interface Inspection {
  todo: Planned[];
  replaced: string[];
  kept: string[];
}

async function inspect(planned: Planned[], state: State, trusted: boolean, existing: Existing, deps: PullDeps): Promise<Inspection> {
  const r: Inspection = { todo: [], replaced: [], kept: [] };
  for (const p of planned) {
    const s = await stat(p.path).catch(() => undefined);
    const known = state[p.rel];
    // Files are not flushed to disk unless --fsync is given, so after a crash or power cut one
    // that was renamed into place may hold less than was verified. A record is therefore trusted
    // only on the boot that wrote it (or if the file was flushed); otherwise the file is hashed again.
    if (s && s.size === p.f.bytes && known && (trusted || known.synced) && known.sha256 === p.f.sha256 && known.mtimeMs === s.mtimeMs) continue;
    if (s && s.size === p.f.bytes && (await sha256File(p.path)) === p.f.sha256) {
      state[p.rel] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs, synced: known?.synced && known.mtimeMs === s.mtimeMs };
      continue;
    }
    if (s && existing === 'skip') {
      r.kept.push(p.rel);
      continue;
    }
    if (s) r.replaced.push(p.rel);
    delete state[p.rel];
    r.todo.push(p);
  }
  if (existing === 'error' && r.replaced.length > 0)
    throw new RecpipeError('conflict', `${r.replaced.length} file(s) in the destination differ from the index: ${list(r.replaced)}; nothing was downloaded`, {
      hint: 'move them away, or run again with --existing overwrite (download them again) or --existing skip (leave them as they are)',
      details: { differing: r.replaced },
    });
  for (const rel of r.replaced) deps.reporter.warn(`${rel} differs from the index (damaged or changed since it was pulled): downloading it again`);
  for (const rel of r.kept) deps.reporter.warn(`${rel} differs from the index: left as it is (--existing skip)`);
  return r;
}

async function pullLocked(items: PullItem[], dest: string, deps: PullDeps, o: PullOptions): Promise<PullResult> {
  const statePath = join(dest, STATE_FILE);
  const bootId = await (deps.bootId ?? linuxBootId)();
  const saved = await loadState(statePath, (e) => deps.reporter.warn(`${e.message}: every file is verified again`));
  const previous = await loadManifestFiles(join(dest, MANIFEST_FILE), (e) => deps.reporter.warn(`${e.message}: it is written again at the end of this pull`));
  const state: State = saved.files;
  const planned = items.map((f) => {
    const path = destinationOf(dest, f);
    return { f, path, rel: path.slice(dest.length + 1) };
  });
  const { todo, replaced, kept } = await inspect(planned, state, bootId !== undefined && saved.bootId === bootId, o.existing ?? 'overwrite', deps);
  const wanted = new Set(planned.map((p) => p.rel));
  const totalBytes = items.reduce((n, f) => n + f.bytes, 0);
  const base = { dest, files: items.length, skipped: items.length - todo.length - kept.length, totalBytes, dryRun: o.dryRun, replaced, kept };
  if (o.dryRun) {
    const sync = o.sync ? await decideSync(dest, wanted, state, previous) : { remove: [], changed: [] };
    return { ...base, downloaded: 0, bytesDownloaded: 0, removed: sync.remove, changedSinceSync: sync.changed, resumedBytes: 0 };
  }
  const d = await download(todo, dest, state, bootId, deps, o);
  const failed = d.failures.length > 0;
  // Only a pull that got every file takes anything out: an interrupted or failed one leaves the folder as it was plus what arrived.
  const sync = o.sync && !failed ? await decideSync(dest, wanted, state, previous) : { remove: [], changed: [] };
  if (sync.remove.length > 0) {
    await applySync(dest, sync.remove, state);
    await writeJsonAtomic(statePath, { bootId, files: state } satisfies StateFile);
    deps.reporter.info(`removed ${sync.remove.length} file(s) an earlier pull put here that this one does not list: ${list(sync.remove)}`);
  }
  for (const rel of sync.changed) deps.reporter.warn(`${rel} was put here by an earlier pull but changed since: left as it is`);
  const manifest = join(dest, MANIFEST_FILE);
  await writeJsonAtomic(manifest, pullManifest(planned, o.origin, new Date()));
  if (failed) {
    throw new RecpipeError('integrity', `${d.failures.length} file(s) did not match the index and were not kept:\n  ${d.failures.join('\n  ')}`, {
      hint: 'run `recpipe verify` to locate the damage; re-process the session to regenerate its outputs',
    });
  }
  const swept = await sweepLeftovers(dest);
  if (swept.length > 0) deps.logger.log('info', 'pull.leftovers_removed', { files: swept });
  deps.reporter.succeed(`pulled ${d.downloaded} files, ${base.skipped} already present`);
  return {
    ...base,
    downloaded: d.downloaded,
    bytesDownloaded: d.need - d.resumedBytes,
    manifest,
    removed: sync.remove,
    changedSinceSync: sync.changed,
    resumedBytes: d.resumedBytes,
  };
}

/** A few paths, and how many more. */
function list(paths: string[], max = 10): string {
  return paths.slice(0, max).join(', ') + (paths.length > max ? `, and ${paths.length - max} more` : '');
}
