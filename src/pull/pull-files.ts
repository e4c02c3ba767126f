/**
 * Downloads indexed files onto this machine: in parallel, streaming, each file hashed into
 * `<final>.part` and renamed into place only when its size and SHA-256 match the index (large
 * files in byte ranges, resumable, over more connections while this process has CPU to spare:
 * fetch-ranged.ts, spread.ts). Files already present and
 * identical are skipped; free space is checked first; an interrupted or failed file never
 * appears at its final path. One pull at a time writes into a destination (dest-lock.ts).
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { RecpipeError } from '../core/errors.js';
import { fullJitter, type Backoff } from '../core/backoff.js';
import type { Logger, Reporter } from '../core/ports.js';
import type { PullSource } from './lake-source.js';
import { destinationOf, type PullItem } from './plan.js';
import { mapLimit } from '../core/map-limit.js';
import { describeOwner, lockDestination } from './dest-lock.js';
import { fetchWhole } from './fetch-whole.js';
import { fetchRanged, RANGE_BYTES } from './fetch-ranged.js';
import { SlotPool } from './slots.js';
import { eventLoopSampler, loadSpread, type Spread } from './spread.js';
import { writeFileAtomic } from '../adapters/fs/atomic-write.js';

export { RAW_GET_MIN_BYTES } from './fetch-body.js';
export const STATE_FILE = '.recpipe-pull-state.json';
export const MANIFEST_FILE = 'recpipe-pull.json';
/** Connections in flight at once, across files (each file's ranges share them). */
export const CONNECTIONS = 16;

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
}

export interface PullResult {
  dest: string;
  files: number;
  downloaded: number;
  skipped: number;
  bytesDownloaded: number;
  totalBytes: number;
  dryRun: boolean;
  manifest?: string;
}

/** What earlier pulls verified, by path under dest; `synced` entries were flushed to disk. */
type State = Record<string, { sha256: string; size: number; mtimeMs: number; synced?: boolean }>;
interface StateFile {
  bootId?: string;
  files: State;
}

async function linuxBootId(): Promise<string | undefined> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function loadState(path: string): Promise<StateFile> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StateFile>;
    // The first format was the bare map of paths (never a key `files`), without a boot id: its
    // records are trusted for nothing, as if written before a reboot.
    return parsed.files && typeof parsed.files === 'object' ? (parsed as StateFile) : { files: parsed as State };
  } catch {
    return { files: {} };
  }
}

async function defaultFree(dest: string): Promise<number> {
  const s = await statfs(dest);
  return s.bavail * s.bsize;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(c as Buffer);
  return h.digest('hex');
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

async function pullLocked(items: PullItem[], dest: string, deps: PullDeps, o: PullOptions): Promise<PullResult> {
  const statePath = join(dest, STATE_FILE);
  const bootId = await (deps.bootId ?? linuxBootId)();
  const saved = await loadState(statePath);
  // Files are not flushed to disk unless --fsync is given, so after a crash or power cut one
  // that was renamed into place may hold less than was verified. A record is therefore trusted
  // only on the boot that wrote it (or if the file was flushed); otherwise the file is hashed again.
  const sameBoot = bootId !== undefined && saved.bootId === bootId;
  const state: State = saved.files;
  const planned = items.map((f) => ({ f, path: destinationOf(dest, f) }));
  const todo: typeof planned = [];
  for (const p of planned) {
    const s = await stat(p.path).catch(() => undefined);
    const rel = p.path.slice(dest.length + 1);
    const known = state[rel];
    if (s && s.size === p.f.bytes && known && (sameBoot || known.synced) && known.sha256 === p.f.sha256 && known.mtimeMs === s.mtimeMs) continue;
    if (s && s.size === p.f.bytes && (await sha256File(p.path)) === p.f.sha256) {
      state[rel] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs, synced: known?.synced && known.mtimeMs === s.mtimeMs };
      continue;
    }
    delete state[rel];
    todo.push(p);
  }
  const need = todo.reduce((n, p) => n + p.f.bytes, 0);
  const totalBytes = items.reduce((n, f) => n + f.bytes, 0);
  const base = { dest, files: items.length, skipped: items.length - todo.length, totalBytes, dryRun: o.dryRun };
  if (o.dryRun) return { ...base, downloaded: 0, bytesDownloaded: 0 };
  const free = await (deps.freeBytes ?? defaultFree)(dest);
  const margin = 64 * 1024 * 1024;
  if (need + margin > free) {
    throw new RecpipeError(
      'no_space',
      `not enough free space in ${dest}: ${mb(need)} to download (+${mb(margin)} margin), ${mb(free)} free; nothing was downloaded`,
      {
        hint: 'free some space, pick another --dest, or narrow the query',
        details: { needBytes: need, freeBytes: free },
      },
    );
  }
  deps.reporter.step(`downloading ${todo.length} files (${mb(need)}) to ${dest}`);
  let done = 0;
  let downloaded = 0;
  const failures: string[] = [];
  const pool = new SlotPool(Math.max(1, o.connections ?? CONNECTIONS));
  // Every request in flight, and every wait before a retry, listens for an interruption.
  if (deps.signal) setMaxListeners(2 * pool.size + 16, deps.signal);
  const backoff = deps.backoff ?? fullJitter();
  const rangeBytes = deps.rangeBytes ?? RANGE_BYTES;
  // A large file starts on one connection and takes more (byte ranges) while this process has
  // CPU to spare (spread.ts): on a link that caps each connection they fetch it sooner; where
  // nothing caps them they would only cost CPU (out-of-order ranges are read back for the hash).
  // With no spare connections (--connections no larger than the files in flight) every file
  // comes in one plain GET.
  const filesInFlight = Math.min(o.concurrency, todo.length);
  const ranged = pool.size > filesInFlight;
  const spread = deps.spread ?? loadSpread({ max: pool.size - filesInFlight, sample: eventLoopSampler() });
  const progress = (n: number) => {
    done += n;
    deps.reporter.progress(need ? done / need : 1, `${mb(done)} of ${mb(need)}`);
  };
  const one = async (p: (typeof todo)[number]) => {
    deps.signal?.throwIfAborted();
    const fileDeps = { ...deps, backoff };
    let counted = 0;
    try {
      const s =
        p.f.bytes > rangeBytes && ranged
          ? await fetchRanged(p.f, p.path, { ...fileDeps, bootId, rangeBytes, spread, onBytes: (n) => ((counted += n), progress(n)) }, pool, Boolean(o.fsync))
          : await fetchWhole(p.f, p.path, fileDeps, pool, Boolean(o.fsync));
      state[p.path.slice(dest.length + 1)] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs, synced: Boolean(o.fsync) };
      downloaded++;
    } catch (e) {
      if (e instanceof RecpipeError && e.code === 'integrity') {
        failures.push(e.message);
        deps.logger.log('error', 'pull.integrity', { key: p.f.key, message: e.message });
      } else throw e;
    } finally {
      progress(p.f.bytes - counted);
    }
  };
  try {
    // A hard failure starts no new download and waits for those in flight before the state is saved.
    await mapLimit(todo, o.concurrency, one);
  } finally {
    pool.close();
    deps.logger.log('debug', 'pull.connections_reused', { requests: pool.reused });
    await writeJsonAtomic(statePath, { bootId, files: state } satisfies StateFile);
  }
  const manifest = join(dest, MANIFEST_FILE);
  await writeJsonAtomic(manifest, {
    pulledAt: new Date().toISOString(),
    files: planned.map((p) => ({
      path: p.path.slice(dest.length + 1),
      sessionId: p.f.session_id,
      pipeline: p.f.pipeline,
      pipelineVersion: p.f.pipeline_version,
      key: p.f.key,
      bytes: p.f.bytes,
      sha256: p.f.sha256,
      variables: p.f.variables ?? {},
    })),
  });
  if (failures.length > 0) {
    throw new RecpipeError('integrity', `${failures.length} file(s) did not match the index and were not kept:\n  ${failures.join('\n  ')}`, {
      hint: 'run `recpipe verify` to locate the damage; re-process the session to regenerate its outputs',
    });
  }
  deps.reporter.succeed(`pulled ${downloaded} files, ${items.length - todo.length} already present`);
  return { ...base, downloaded, bytesDownloaded: need, manifest };
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}
