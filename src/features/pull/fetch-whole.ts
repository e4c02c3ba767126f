/**
 * A file fetched with one GET into `<final>.part`, every byte hashed as it arrives, renamed into
 * place only when size and SHA-256 match the index. A failed try removes the partial file; a
 * network failure is retried with backoff (the store stays the same, so a retry is safe).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import { retrying, type Backoff } from '../../core/backoff.js';
import { fetchBody, type FetchDeps } from './fetch-body.js';
import type { PullItem } from './plan.js';
import type { SlotPool } from './slots.js';

/** Tries per request when the network or the store fails for now. */
export const ATTEMPTS = 6;

export interface FileDeps extends FetchDeps {
  backoff: Backoff;
}

/** Where a finished file landed. */
export interface Landed {
  size: number;
  mtimeMs: number;
}

export function fetchWhole(f: PullItem, path: string, deps: FileDeps, pool: SlotPool, fsync: boolean): Promise<Landed> {
  return retrying(() => pool.with((slot) => fetchOnce(f, path, deps, slot, fsync)), {
    attempts: ATTEMPTS,
    backoff: deps.backoff,
    signal: deps.signal,
    onRetry: (e, attempt, waitMs) => deps.logger.log('warn', 'pull.retry', { key: f.key, attempt, waitMs, error: e.message }),
  });
}

async function fetchOnce(f: PullItem, path: string, deps: FetchDeps, slot: Parameters<typeof fetchBody>[4], fsync: boolean): Promise<Landed> {
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.part`;
  const h = createHash('sha256');
  let size = 0;
  try {
    const fh = await open(part, 'w');
    try {
      size = await fetchBody(f, undefined, fh, deps, slot, { hash: h });
      if (fsync) await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await rm(part, { force: true });
    throw noSpace(e, path);
  }
  await verified(f, part, size, h.digest('hex'));
  await rename(part, path);
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/** Removes `part` and throws unless size and hash are the index's. */
export async function verified(f: PullItem, part: string, size: number, sha: string): Promise<void> {
  if (size === f.bytes && sha === f.sha256) return;
  await rm(part, { force: true });
  throw new RecpipeError(
    'integrity',
    `${f.key}: got ${size} bytes with SHA-256 ${sha.slice(0, 12)}..., the index says ${f.bytes} bytes, ${f.sha256.slice(0, 12)}...`,
  );
}

/** A full disk, said plainly; anything else as it was. */
export function noSpace(e: unknown, path: string): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') return e;
  return new RecpipeError('no_space', `disk full while writing ${path}; the partial file was removed`, {
    hint: 'free some space and run the same pull again: finished files are kept',
  });
}
