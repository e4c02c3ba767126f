/**
 * The download phase of a pull: free space checked first (less what interrupted pulls already
 * fetched), then every file fetched in parallel (large ones in ranges, resumable), each recorded
 * in the folder's state as it lands. Progress counts from the bytes already there; an
 * interruption says what was done.
 */
import { setMaxListeners } from 'node:events';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import { fullJitter } from '../../core/backoff.js';
import { mapLimit } from '../../core/map-limit.js';
import { fetchWhole } from './fetch-whole.js';
import { fetchRanged, RANGE_BYTES } from './fetch-ranged.js';
import { loadDone } from './range-record.js';
import { SlotPool } from './slots.js';
import { eventLoopSampler, loadSpread } from './spread.js';
import { STATE_FILE, writeJsonAtomic, type State, type StateFile } from './local-state.js';
import type { Planned, PullDeps, PullOptions } from './pull-files.js';

/** Connections in flight at once, across files (each file's ranges share them). */
export const CONNECTIONS = 16;

async function defaultFree(dest: string): Promise<number> {
  const s = await statfs(dest);
  return s.bavail * s.bsize;
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** What the download phase did. */
export interface Downloaded {
  downloaded: number;
  /** Integrity failures (the file was not kept), one message each. */
  failures: string[];
  /** Bytes of the files downloaded, whole. */
  need: number;
  /** Of those, bytes already there from an interrupted pull. */
  resumedBytes: number;
}

/** Downloads `todo`, recording each landed file in `state`; integrity failures are collected, anything else thrown. */
export async function download(todo: Planned[], dest: string, state: State, bootId: string | undefined, deps: PullDeps, o: PullOptions): Promise<Downloaded> {
  const need = todo.reduce((n, p) => n + p.f.bytes, 0);
  const pool = new SlotPool(Math.max(1, o.connections ?? CONNECTIONS));
  const rangeBytes = deps.rangeBytes ?? RANGE_BYTES;
  // A large file starts on one connection and takes more (byte ranges) while this process has
  // CPU to spare (spread.ts): on a link that caps each connection they fetch it sooner; where
  // nothing caps them they would only cost CPU (out-of-order ranges are read back for the hash).
  // With no spare connections (--connections no larger than the files in flight) every file
  // comes in one plain GET.
  const filesInFlight = Math.min(o.concurrency, todo.length);
  const ranged = pool.size > filesInFlight;
  const isRanged = (p: Planned) => p.f.bytes > rangeBytes && ranged;
  // What an interrupted pull already fetched of a large file counts as done from the start.
  const resumed = new Map<Planned, number>();
  for (const p of todo.filter(isRanged)) {
    const got = [...(await loadDone(p.path, p.f, rangeBytes, bootId))].reduce((n, i) => n + Math.max(0, Math.min(rangeBytes, p.f.bytes - i * rangeBytes)), 0);
    if (got > 0) resumed.set(p, got);
  }
  const resumedBytes = [...resumed.values()].reduce((a, b) => a + b, 0);
  const free = await (deps.freeBytes ?? defaultFree)(dest);
  const margin = 64 * 1024 * 1024;
  if (need - resumedBytes + margin > free) {
    pool.close();
    throw new RecpipeError(
      'no_space',
      `not enough free space in ${dest}: ${mb(need - resumedBytes)} to download (+${mb(margin)} margin), ${mb(free)} free; nothing was downloaded`,
      {
        hint: 'free some space, pick another --dest, or narrow the query',
        details: { needBytes: need - resumedBytes, freeBytes: free },
      },
    );
  }
  deps.reporter.step(`downloading ${todo.length} files (${mb(need)}${resumedBytes ? `, ${mb(resumedBytes)} of it already here` : ''}) to ${dest}`);
  let done = resumedBytes;
  let downloaded = 0;
  const failures: string[] = [];
  // Every request in flight, and every wait before a retry, listens for an interruption.
  if (deps.signal) setMaxListeners(2 * pool.size + 16, deps.signal);
  const backoff = deps.backoff ?? fullJitter();
  const spread = deps.spread ?? loadSpread({ max: pool.size - filesInFlight, sample: eventLoopSampler() });
  const progress = (n: number) => {
    done += n;
    deps.reporter.progress(need ? Math.min(1, done / need) : 1, `${mb(Math.min(done, need))} of ${mb(need)}`);
  };
  if (resumedBytes) progress(0);
  const one = async (p: Planned) => {
    deps.signal?.throwIfAborted();
    const fileDeps = { ...deps, backoff };
    let counted = resumed.get(p) ?? 0;
    try {
      const s = isRanged(p)
        ? await fetchRanged(p.f, p.path, { ...fileDeps, bootId, rangeBytes, spread, onBytes: (n) => ((counted += n), progress(n)) }, pool, Boolean(o.fsync))
        : await fetchWhole(p.f, p.path, fileDeps, pool, Boolean(o.fsync));
      state[p.rel] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs, synced: Boolean(o.fsync) };
      downloaded++;
    } catch (e) {
      if (e instanceof RecpipeError && e.code === 'integrity') {
        failures.push(e.message);
        deps.logger.log('error', 'pull.integrity', { key: p.f.key, message: e.message });
      } else throw e;
    } finally {
      progress(Math.max(0, p.f.bytes - counted));
    }
  };
  try {
    // A hard failure starts no new download and waits for those in flight before the state is saved.
    await mapLimit(todo, o.concurrency, one);
  } catch (e) {
    if (!deps.signal?.aborted) throw e;
    // Interrupted (Ctrl-C, SIGTERM): say what was done; the caller says how to resume.
    throw new RecpipeError(
      'interrupted',
      `interrupted: ${downloaded} of ${todo.length} files downloaded (${mb(Math.min(done, need))} of ${mb(need)}) into ${dest}`,
      {
        hint: 'run the same command again: files already staged are kept and large files resume where they stopped',
        details: { downloaded, files: todo.length, bytesDone: Math.min(done, need), bytes: need, dest },
        cause: e,
      },
    );
  } finally {
    pool.close();
    deps.logger.log('debug', 'pull.connections_reused', { requests: pool.reused });
    await writeJsonAtomic(join(dest, STATE_FILE), { bootId, files: state } satisfies StateFile);
  }
  return { downloaded, failures, need, resumedBytes };
}
