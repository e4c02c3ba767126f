/**
 * Downloads indexed files onto this machine: in parallel, streaming, each file hashed on the
 * way into `<final>.part` and renamed into place only when its size and SHA-256 match the
 * index. Files already present and identical are skipped; free space is checked first; an
 * interrupted or failed file never appears at its final path.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { isRecpipeError, RecpipeError } from '../core/errors.js';
import type { Logger, Reporter } from '../core/ports.js';
import type { PullSource } from './lake-source.js';
import { destinationOf, type PullItem } from './plan.js';
import { mapLimit } from '../core/map-limit.js';
import { rawGet, RawGetUnsupported, type BodySink } from '../adapters/http/raw-get.js';
import { BatchWriter, batchBuffers, type BatchBuffers } from './batch-writer.js';

export const STATE_FILE = '.recpipe-pull-state.json';
export const MANIFEST_FILE = 'recpipe-pull.json';
/** Files at least this large are fetched over their own connection with a reused read buffer. */
export const RAW_GET_MIN_BYTES = 8 * 1024 * 1024;
/** Attempts per file when the network fails (the store stays the same, so a retry is safe). */
const ATTEMPTS = 3;

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
}

export interface PullOptions {
  concurrency: number;
  dryRun: boolean;
  /** Flush every file to disk before it is renamed into place. */
  fsync?: boolean;
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
    throw new RecpipeError('no_space', `not enough free space in ${dest}: ${mb(need)} to download (+${mb(margin)} margin), ${mb(free)} free; nothing was downloaded`, {
      hint: 'free some space, pick another --dest, or narrow the query',
      details: { needBytes: need, freeBytes: free },
    });
  }
  deps.reporter.step(`downloading ${todo.length} files (${mb(need)}) to ${dest}`);
  let done = 0;
  let downloaded = 0;
  const failures: string[] = [];
  // One pair of write buffers per download slot, reused from file to file; the raw reader reads
  // straight into them, its own small buffer only takes the response head. (Smaller buffers
  // measured no slower, and fresh memory is what costs most on some VMs.)
  const slots: Slot[] = [];
  const one = async (p: (typeof todo)[number]) => {
    deps.signal?.throwIfAborted();
    const slot = slots.pop() ?? { read: Buffer.allocUnsafe(64 * 1024), write: batchBuffers() };
    try {
      const s = await fetchWithRetry(p.f, p.path, deps, slot, Boolean(o.fsync));
      state[p.path.slice(dest.length + 1)] = { sha256: p.f.sha256, size: s.size, mtimeMs: s.mtimeMs, synced: Boolean(o.fsync) };
      downloaded++;
    } catch (e) {
      if (e instanceof RecpipeError && e.code === 'integrity') {
        failures.push(e.message);
        deps.logger.log('error', 'pull.integrity', { key: p.f.key, message: e.message });
      } else throw e;
    } finally {
      slots.push(slot);
      done += p.f.bytes;
      deps.reporter.progress(need ? done / need : 1, `${mb(done)} of ${mb(need)}`);
    }
  };
  try {
    // A hard failure starts no new download and waits for those in flight before the state is saved.
    await mapLimit(todo, o.concurrency, one);
  } finally {
    await writeJsonAtomic(statePath, { bootId, files: state } satisfies StateFile);
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

interface Slot {
  read: Buffer;
  write: BatchBuffers;
}

async function fetchWithRetry(f: PullItem, path: string, deps: PullDeps, slot: Slot, fsync: boolean): Promise<{ size: number; mtimeMs: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOne(f, path, deps, slot, fsync);
    } catch (e) {
      if (!isRecpipeError(e) || !e.retryable || attempt >= ATTEMPTS || deps.signal?.aborted) throw e;
      deps.logger.log('warn', 'pull.retry', { key: f.key, attempt, error: e.message });
      await sleep(250 * 2 ** attempt, undefined, { signal: deps.signal });
    }
  }
}

/**
 * One file into `<path>.part`: every byte hashed as it arrives and written in large batches;
 * renamed into place only when size and SHA-256 match the index.
 */
async function fetchOne(f: PullItem, path: string, deps: PullDeps, slot: Slot, fsync: boolean): Promise<{ size: number; mtimeMs: number }> {
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.part`;
  const h = createHash('sha256');
  let size = 0;
  try {
    const fh = await open(part, 'w');
    try {
      const writer = new BatchWriter((b, n, at) => fh.write(b, 0, n, at).then((r) => r.bytesWritten), slot.write);
      const sink: BodySink = {
        push: (chunk) => {
          h.update(chunk);
          return writer.push(chunk);
        },
        space: () => writer.space(),
        commit: (chunk) => {
          h.update(chunk);
          return writer.commit(chunk.length);
        },
      };
      try {
        const direct = deps.lake.presignGet && f.bytes >= (deps.rawGetMinBytes ?? RAW_GET_MIN_BYTES) ? await deps.lake.presignGet(f.key, 3600) : undefined;
        if (!direct || !(await viaRawGet(direct, f, sink, writer, slot, deps))) await viaStream(f, sink, writer, deps);
        size = await writer.finish();
      } catch (e) {
        // Never leave a write running behind an error.
        await writer.settle();
        throw e;
      }
      if (fsync) await fh.sync();
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

/** The fast path; false when the store's answer needs the SDK (nothing was taken then). */
async function viaRawGet(url: string, f: PullItem, sink: BodySink, writer: BatchWriter, slot: Slot, deps: PullDeps): Promise<boolean> {
  try {
    const get = rawGet(new URL(url), sink, { signal: deps.signal, readBuffer: slot.read, what: f.key });
    writer.onDrain = () => get.resume();
    writer.onError = (e) => get.cancel(e);
    await get.done;
    return true;
  } catch (e) {
    if (e instanceof RawGetUnsupported && writer.bytes === 0) {
      deps.logger.log('debug', 'pull.raw_get_fallback', { key: f.key, reason: e.message });
      return false;
    }
    throw e;
  }
}

/** Any store: the SDK's body stream, paused while both write buffers are busy. */
async function viaStream(f: PullItem, sink: BodySink, writer: BatchWriter, deps: PullDeps): Promise<void> {
  const src = await deps.lake.getStream(f.key);
  let wake: (() => void) | undefined;
  writer.onDrain = () => wake?.();
  writer.onError = (e) => {
    src.destroy(e);
    wake?.();
  };
  try {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      if (!sink.push(chunk)) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        writer.throwIfFailed();
        deps.signal?.throwIfAborted();
      }
    }
  } catch (e) {
    src.destroy();
    throw e;
  }
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
