/**
 * A large file fetched as byte ranges over several connections at once, each range written at
 * its offset in `<final>.part`. The whole-file SHA-256 is computed in order as ranges complete
 * (ordered-hash.ts) and checked against the index before the file is renamed into place. Which
 * ranges are done is recorded (range-record.ts), so an interrupted pull resumes inside the file.
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { retrying } from '../core/backoff.js';
import { isRecpipeError } from '../core/errors.js';
import { fetchBody, type ByteRange } from './fetch-body.js';
import { ATTEMPTS, noSpace, verified, type FileDeps, type Landed } from './fetch-whole.js';
import { OrderedHash, ShortPart } from './ordered-hash.js';
import type { PullItem } from './plan.js';
import { loadDone, RecordWriter } from './range-record.js';
import type { SlotPool } from './slots.js';

/** Files larger than this are fetched in ranges of at most this size. */
export const RANGE_BYTES = 32 * 1024 * 1024;

export interface RangedDeps extends FileDeps {
  /** This boot of the machine; without one nothing is kept for a resume. */
  bootId: string | undefined;
  rangeBytes: number;
  /** Ranges of this file in flight at once, at most. */
  ways: number;
  /** Told of each range written (for progress). */
  onBytes?: (n: number) => void;
}

/**
 * Ranges of `rangeBytes` starting at its multiples (the last one shorter), covering `bytes`. AWS
 * advises byte-range GETs aligned to the object's multipart part boundaries; 32 MiB is a
 * multiple of the usual part sizes (8 and 16 MiB), and large enough that the wait for the
 * first byte of each request costs little.
 */
export function planRanges(bytes: number, rangeBytes: number): ByteRange[] {
  const out: ByteRange[] = [];
  for (let start = 0; start < bytes; start += rangeBytes) out.push({ start, end: Math.min(bytes, start + rangeBytes) - 1 });
  return out;
}

export async function fetchRanged(f: PullItem, path: string, deps: RangedDeps, pool: SlotPool, fsync: boolean): Promise<Landed> {
  try {
    return await attempt(f, path, deps, pool, fsync, true);
  } catch (e) {
    // What a resumed download trusted did not add up (a partial file cut or changed behind our
    // back): start the file over once, trusting nothing.
    if (!(e instanceof ResumeFailed)) throw e;
    deps.logger.log('warn', 'pull.resume_discarded', { key: f.key, reason: e.message });
    return attempt(f, path, deps, pool, fsync, false);
  }
}

class ResumeFailed extends Error {}

async function attempt(f: PullItem, path: string, deps: RangedDeps, pool: SlotPool, fsync: boolean, resume: boolean): Promise<Landed> {
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.part`;
  const ranges = planRanges(f.bytes, deps.rangeBytes);
  const done = resume ? await loadDone(path, f, deps.rangeBytes, deps.bootId) : new Set<number>();
  let fh: FileHandle | undefined = done.size > 0 ? await open(part, 'r+').catch(() => undefined) : undefined;
  if (!fh) done.clear();
  fh ??= await open(part, 'w+');
  const resumed = done.size;
  if (resumed > 0) deps.logger.log('info', 'pull.resume', { key: f.key, rangesDone: resumed, ranges: ranges.length });
  const record = new RecordWriter(path, f, deps.rangeBytes, deps.bootId);
  const hash = new OrderedHash(fh, ranges, done);
  hash.kick();
  let sha: string;
  try {
    await fetchRanges(f, ranges, done, fh, deps, pool, record, hash);
    sha = await hash.digest();
    if (fsync) await fh.sync();
  } catch (e) {
    await hash.settle();
    await fh.close();
    await record.settle();
    // Kept for the next pull to resume, unless nothing could be resumed from it.
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC' || deps.bootId === undefined || e instanceof ShortPart) {
      await rm(part, { force: true });
      await record.remove();
    }
    if (e instanceof ShortPart && resumed > 0) throw new ResumeFailed(e.message);
    throw noSpace(e, path);
  }
  await fh.close();
  await record.remove();
  try {
    await verified(f, part, f.bytes, sha);
  } catch (e) {
    if (resumed > 0 && isRecpipeError(e) && e.code === 'integrity') throw new ResumeFailed(e.message);
    throw e;
  }
  await rename(part, path);
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/** Fetches the ranges not yet done, as many at once as the pool has slots; stops at the first failure. */
async function fetchRanges(
  f: PullItem,
  ranges: ByteRange[],
  done: Set<number>,
  fh: FileHandle,
  deps: RangedDeps,
  pool: SlotPool,
  record: RecordWriter,
  hash: OrderedHash,
): Promise<void> {
  const todo = ranges.map((_, i) => i).filter((i) => !done.has(i));
  let failed: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (!failed && next < todo.length) {
      const i = todo[next++];
      try {
        await retrying(() => pool.with((slot) => fetchBody(f, ranges[i], fh, deps, slot)), {
          attempts: ATTEMPTS,
          backoff: deps.backoff,
          signal: deps.signal,
          onRetry: (e, n, waitMs) =>
            deps.logger.log('warn', 'pull.retry', { key: f.key, range: `${ranges[i].start}-${ranges[i].end}`, attempt: n, waitMs, error: e.message }),
        });
      } catch (error) {
        failed ??= { error };
        return;
      }
      done.add(i);
      deps.onBytes?.(ranges[i].end - ranges[i].start + 1);
      record.save(done);
      hash.kick();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.ways, todo.length)) }, worker));
  if (failed) throw failed.error;
}
