/**
 * Downloads indexed files onto this machine: in parallel, streaming, each file hashed on the
 * way into `<final>.part` and renamed into place only when its size and SHA-256 match the
 * index. Files already present and identical are skipped; free space is checked first; an
 * interrupted or failed file never appears at its final path.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RecpipeError } from '../core/errors.js';
import type { Logger, ObjectStore, Reporter } from '../core/ports.js';
import { destinationOf, type PullItem } from './plan.js';
import { mapLimit } from '../core/map-limit.js';

export const STATE_FILE = '.recpipe-pull-state.json';
export const MANIFEST_FILE = 'recpipe-pull.json';
/** Bytes gathered before one writev to the `.part` file. */
const WRITE_BATCH = 4 * 1024 * 1024;

export interface PullDeps {
  lake: ObjectStore;
  reporter: Reporter;
  logger: Logger;
  signal?: AbortSignal;
  /** Free bytes at `dest` (injectable for tests). */
  freeBytes?: (dest: string) => Promise<number>;
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

type State = Record<string, { sha256: string; size: number; mtimeMs: number }>;

async function defaultFree(dest: string): Promise<number> {
  const s = await statfs(dest);
  return s.bavail * s.bsize;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(c as Buffer);
  return h.digest('hex');
}

export async function pullFiles(items: PullItem[], dest: string, deps: PullDeps, o: { concurrency: number; dryRun: boolean }): Promise<PullResult> {
  await mkdir(dest, { recursive: true });
  const statePath = join(dest, STATE_FILE);
  let state: State = {};
  try {
    state = JSON.parse(await readFile(statePath, 'utf8')) as State;
  } catch {
    // first pull into this folder
  }
  const planned = items.map((f) => ({ f, path: destinationOf(dest, f) }));
  const todo: typeof planned = [];
  for (const p of planned) {
    const s = await stat(p.path).catch(() => undefined);
    const rel = p.path.slice(dest.length + 1);
    const known = state[rel];
    if (s && s.size === p.f.bytes && known && known.sha256 === p.f.sha256 && known.mtimeMs === s.mtimeMs) continue;
    if (s && s.size === p.f.bytes && (await sha256File(p.path)) === p.f.sha256) {
      state[rel] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs };
      continue;
    }
    todo.push(p);
  }
  const need = todo.reduce((n, p) => n + p.f.bytes, 0);
  const totalBytes = items.reduce((n, f) => n + f.bytes, 0);
  const base = { dest, files: items.length, skipped: items.length - todo.length, totalBytes, dryRun: o.dryRun };
  if (o.dryRun) return { ...base, downloaded: 0, bytesDownloaded: 0 };
  const free = await (deps.freeBytes ?? defaultFree)(dest);
  const margin = 64 * 1024 * 1024;
  if (need + margin > free) {
    throw new RecpipeError('no_space', `not enough free space in ${dest}: ${mb(need)} to download (+${mb(margin)} margin), ${mb(free)} free; nothing was downloaded`, {
      hint: 'free some space, pick another --dest, or narrow the query',
      details: { needBytes: need, freeBytes: free },
    });
  }
  deps.reporter.step(`downloading ${todo.length} files (${mb(need)}) to ${dest}`);
  let done = 0;
  let downloaded = 0;
  const failures: string[] = [];
  const one = async (p: (typeof todo)[number]) => {
    deps.signal?.throwIfAborted();
    try {
      const s = await fetchOne(p.f, p.path, deps);
      state[p.path.slice(dest.length + 1)] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs };
      downloaded++;
    } catch (e) {
      if (e instanceof RecpipeError && e.code === 'integrity') {
        failures.push(e.message);
        deps.logger.log('error', 'pull.integrity', { key: p.f.key, message: e.message });
      } else throw e;
    } finally {
      done += p.f.bytes;
      deps.reporter.progress(need ? done / need : 1, `${mb(done)} of ${mb(need)}`);
    }
  };
  try {
    // A hard failure starts no new download and waits for those in flight before the state is saved.
    await mapLimit(todo, o.concurrency, one);
  } finally {
    await writeJsonAtomic(statePath, state);
  }
  const manifest = join(dest, MANIFEST_FILE);
  await writeJsonAtomic(manifest, {
    pulledAt: new Date().toISOString(),
    files: planned.map((p) => ({ path: p.path.slice(dest.length + 1), sessionId: p.f.session_id, pipeline: p.f.pipeline, pipelineVersion: p.f.pipeline_version, key: p.f.key, bytes: p.f.bytes, sha256: p.f.sha256 })),
  });
  if (failures.length > 0) {
    throw new RecpipeError('integrity', `${failures.length} file(s) did not match the index and were not kept:\n  ${failures.join('\n  ')}`, { hint: 'run `recpipe verify` to locate the damage; re-process the session to regenerate its outputs' });
  }
  deps.reporter.succeed(`pulled ${downloaded} files, ${items.length - todo.length} already present`);
  return { ...base, downloaded, bytesDownloaded: need, manifest };
}

async function fetchOne(f: PullItem, path: string, deps: PullDeps): Promise<{ size: number; mtimeMs: number }> {
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.part`;
  const h = createHash('sha256');
  let size = 0;
  try {
    const src = await deps.lake.getStream(f.key);
    const fh = await open(part, 'w');
    try {
      // Socket chunks (~40 KB) are hashed as they come and written in batches with one writev
      // each: a write per chunk cost a thread-pool round trip per 40 KB and dominated the CPU.
      // One batch is written while the next is received, so the disk and the network overlap.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      let writing: Promise<void> = Promise.resolve();
      const flush = async (chunks: Buffer[], bytes: number) => {
        const { bytesWritten } = await fh.writev(chunks);
        if (bytesWritten !== bytes) throw Object.assign(new Error(`short write to ${part} (${bytesWritten} of ${bytes} bytes)`), { code: 'ENOSPC' });
      };
      try {
        for await (const chunk of src as AsyncIterable<Buffer>) {
          h.update(chunk);
          size += chunk.length;
          batch.push(chunk);
          batchBytes += chunk.length;
          if (batchBytes >= WRITE_BATCH || batch.length >= 512) {
            await writing;
            deps.signal?.throwIfAborted();
            writing = flush(batch, batchBytes);
            batch = [];
            batchBytes = 0;
          }
        }
      } catch (e) {
        // Never leave a write running behind an error.
        await writing.catch(() => undefined);
        throw e;
      }
      await writing;
      if (batch.length) await flush(batch, batchBytes);
      await fh.sync();
    } catch (e) {
      src.destroy();
      throw e;
    } finally {
      await fh.close();
    }
  } catch (e) {
    await rm(part, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new RecpipeError('no_space', `disk full while writing ${path}; the partial file was removed`, { hint: 'free some space and run the same pull again: finished files are kept' });
    throw e;
  }
  const sha = h.digest('hex');
  if (size !== f.bytes || sha !== f.sha256) {
    await rm(part, { force: true });
    throw new RecpipeError('integrity', `${f.key}: got ${size} bytes with SHA-256 ${sha.slice(0, 12)}..., the index says ${f.bytes} bytes, ${f.sha256.slice(0, 12)}...`);
  }
  await rename(part, path);
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  await fh.writeFile(JSON.stringify(value, null, 2) + '\n');
  await fh.sync();
  await fh.close();
  await rename(tmp, path);
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}
