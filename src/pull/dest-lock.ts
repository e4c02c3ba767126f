/**
 * One pull at a time per destination folder. Two pulls into one folder (a cron pull overlapping
 * one started by hand) would write the same `.part` files and the same state file, so the
 * second waits for the first by default and then finds its files already staged; with `wait`
 * off it refuses at once (exit 6) naming the holder. The lock is a file created exclusively,
 * holding the owner's host and pid: a lock left by a process that is gone (kill -9, reboot) on
 * this host is taken over.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { open, readFile, rm } from 'node:fs/promises';
import { RecpipeError } from '../core/errors.js';
import { pause } from '../core/backoff.js';

export const LOCK_FILE = '.recpipe-pull.lock';

/** Who holds a destination's lock. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface DestLockOptions {
  /** Wait for a live holder to finish (true) or refuse at once. */
  wait: boolean;
  signal?: AbortSignal;
  /** Called once when the lock is busy and the caller waits. */
  onWait?: (owner: LockOwner) => void;
  /** Between two looks at a busy lock (injectable for tests). */
  pollMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, startedAt: String(o.startedAt ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host}, started ${o.startedAt}`;
}

/** Takes the lock on `dest` (which must exist); resolves with its release. */
export async function lockDestination(dest: string, o: DestLockOptions): Promise<{ release(): Promise<void> }> {
  const path = join(dest, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  let told = false;
  for (;;) {
    o.signal?.throwIfAborted();
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(JSON.stringify(me) + '\n');
      } finally {
        await fh.close();
      }
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await readOwner(path);
    // An owner on this host whose process is gone left the lock behind: take it over. (A lock
    // being written this very moment reads as no owner: look again rather than remove it.)
    if (owner && owner.host === me.host && !alive(owner.pid)) {
      await rm(path, { force: true });
      continue;
    }
    if (owner && !o.wait) {
      throw new RecpipeError('locked', `another recpipe pull (${describeOwner(owner)}) is writing into ${dest}`, {
        hint: `wait for it to finish (or drop --no-wait to wait), or pick another --dest; if no such pull runs, remove ${path}`,
        details: { lock: path, owner },
      });
    }
    if (owner && !told) {
      told = true;
      o.onWait?.(owner);
    }
    await pause(o.pollMs ?? 250, o.signal);
  }
}
