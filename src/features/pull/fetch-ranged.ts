/**
 * A large file fetched as byte ranges, over one connection or, while the spread allows, several
 * at once (spread.ts), each range written at its offset in `<final>.part`. The whole-file SHA-256 is computed in order as ranges complete
 * (ordered-hash.ts) and checked against the index before the file is renamed into place. Which
 * ranges are done is recorded (range-record.ts), so an interrupted pull resumes inside the file.
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { retrying } from '../../core/backoff.js';
import { isRecpipeError } from '../../core/errors.js';
import { fetchBody, type ByteRange } from './fetch-body.js';
import { ATTEMPTS, noSpace, verified, type FileDeps, type Landed } from './fetch-whole.js';
import { OrderedHash, ShortPart } from './ordered-hash.js';
import type { PullItem } from './plan.js';
import { loadDone, RecordWriter } from './range-record.js';
import type { Slot, SlotPool } from './slots.js';
import type { Spread } from './spread.js';

/** Files larger than this are fetched in ranges of at most this size. */
export const RANGE_BYTES = 8 * 1024 * 1024;

export interface RangedDeps extends FileDeps {
  /** This boot of the machine; without one nothing is kept for a resume. */
  bootId: string | undefined;
  rangeBytes: number;
  /** How many connections may be in flight (more join this file while it allows). */
  spread: Spread;
  /** Told of each range written (for progress). */
  onBytes?: (n: number) => void;
}

/**
 * Ranges of `rangeBytes` starting at its multiples (the last one shorter), covering `bytes`. AWS
 * advises byte-range GETs aligned to the object's multipart part boundaries, "typical sizes for
 * byte-range requests are 8 MB or 16 MB"; 8 MiB divides the usual part sizes (8 and 16 MiB).
 * Smaller ranges spread a file over more connections; each costs a request and a wait for its
 * first byte, which a file alone on its connection does not pay (it asks for its whole run).
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
  const done = resume
    ? await loadDone(path, f, deps.rangeBytes, deps.bootId, (e) => deps.logger.log('warn', 'pull.resume_discarded', { key: f.key, reason: e.message }))
    : new Set<number>();
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

/**
 * Fetches the ranges not yet done. The file starts with one GET over the whole run of free
 * ranges, hashed on the way when it starts where the hash stands; more connections join while
 * the spread allows (`spread.ts`), each taking the first free range, one range per GET, so ranges
 * finish nearly in order and the hash keeps up with them. A GET stops at the first range another
 * connection has taken. Stops at the first failure.
 */
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
  const taken = new Uint8Array(ranges.length);
  const free = (i: number) => !done.has(i) && taken[i] === 0;
  const firstFree = () => {
    for (let i = 0; i < ranges.length; i++) if (free(i)) return i;
    return undefined;
  };
  let failed: { error: unknown } | undefined;
  let workers = 0;
  const joined: Promise<void>[] = [];
  const finished = (i: number) => {
    done.add(i);
    deps.onBytes?.(ranges[i].end - ranges[i].start + 1);
    record.save(done);
    hash.kick();
  };
  const retryLog = (i: number) => (e: Error, attempt: number, waitMs: number) =>
    deps.logger.log('warn', 'pull.retry', { key: f.key, range: `${ranges[i].start}-${ranges[i].end}`, attempt, waitMs, error: e.message });

  /** One GET from the first free range; false when none is left. Ranges not landed are freed again on failure. */
  const fetchFrom = async (slot: Slot): Promise<boolean> => {
    const i = firstFree();
    if (i === undefined || failed) return false;
    taken[i] = 1;
    // Others may join before this GET asks for its bytes; alone on the file, it asks for the
    // whole free run (one request, one connection), else for one range.
    spread();
    let j = i;
    if (workers === 1) while (j + 1 < ranges.length && free(j + 1)) j++;
    const base = ranges[i].start;
    let current = i;
    let landed = i;
    const inline = hash.inlineFrom(i);
    const claim = (reached: number) => {
      const k = current + 1;
      if (failed || k > j || !free(k)) return reached;
      taken[k] = 1;
      current = k;
      // Each range boundary is a chance for more connections to join (taking the ranges after this one).
      spread();
      return ranges[k].end + 1 - base;
    };
    const onLanded = (bytes: number) => {
      while (landed <= current && ranges[landed].end + 1 - base <= bytes) finished(landed++);
      // Each write is a chance to look at the load again.
      spread();
    };
    try {
      await fetchBody(f, { start: base, end: ranges[j].end }, fh, deps, slot, { hash: inline, limit: ranges[i].end + 1 - base, claim, onLanded });
    } catch (e) {
      for (let k = landed; k <= current; k++) taken[k] = 0;
      if (inline) hash.restart();
      // Ranges landed before the failure count as progress: go on with a fresh set of tries.
      if (landed > i && isRetryable(e)) {
        deps.logger.log('warn', 'pull.retry', { key: f.key, from: ranges[landed].start, error: (e as Error).message });
        return true;
      }
      throw e;
    }
    if (inline) hash.inlineEnd(current + 1);
    return true;
  };

  const worker = async (slot: Slot | undefined) => {
    workers++;
    try {
      const once = () => (slot ? fetchFrom(slot) : pool.with(fetchFrom));
      for (;;) {
        const i = firstFree();
        if (i === undefined || failed) return;
        if (!(await retrying(once, { attempts: ATTEMPTS, backoff: deps.backoff, signal: deps.signal, onRetry: retryLog(i) }))) return;
        // A connection that joined leaves when the spread allows fewer.
        if (slot && deps.spread.over()) return;
      }
    } catch (error) {
      failed ??= { error };
    } finally {
      workers--;
      if (slot) {
        pool.release(slot);
        deps.spread.leave();
      }
    }
  };
  /** More connections on this file while the spread allows them and ranges are free. */
  function spread(): void {
    while (!failed && workers > 0 && firstFree() !== undefined && deps.spread.join()) {
      const slot = pool.tryAcquire();
      if (!slot) {
        deps.spread.leave();
        return;
      }
      joined.push(worker(slot));
    }
  }
  await worker(undefined);
  while (joined.length > 0) await joined.shift();
  if (failed) throw failed.error;
}

const isRetryable = (e: unknown): boolean => isRecpipeError(e) && e.retryable === true;
