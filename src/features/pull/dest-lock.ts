/**
 * One pull at a time per destination folder. Two pulls into one folder (a cron pull overlapping
 * one started by hand) would write the same `.part` files and the same state file, so the
 * second waits for the first by default and then finds its files already staged; with `wait`
 * off it refuses at once (exit 6) naming the holder. The lock is a file created exclusively,
 * holding the owner's host and pid (src/adapters/fs/lock-file.ts, the one lock implementation): a
 * lock left by a process that is gone (kill -9, reboot) on this host is taken over.
 */
import { join } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import { takeLock, type Lock, type LockHolder } from '../../adapters/fs/lock-file.js';

export const LOCK_FILE = '.recpipe-pull.lock';

/** Who holds a destination's lock. */
export type LockOwner = LockHolder;

export interface DestLockOptions {
  /** Wait for a live holder to finish (true) or refuse at once. */
  wait: boolean;
  signal?: AbortSignal;
  /** Called once when the lock is busy and the caller waits. */
  onWait?: (owner: LockOwner) => void;
  /** Between two looks at a busy lock (injectable for tests). */
  pollMs?: number;
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host ?? 'this host'}, started ${o.startedAt ?? 'at an unknown time'}`;
}

/** Takes the lock on `dest` (which must exist); resolves with its release. */
export async function lockDestination(dest: string, o: DestLockOptions): Promise<Lock> {
  const path = join(dest, LOCK_FILE);
  return takeLock(path, {
    ...o,
    busy: (owner) =>
      new RecpipeError('locked', `another recpipe pull (${describeOwner(owner)}) is writing into ${dest}`, {
        hint: `wait for it to finish (or drop --no-wait to wait), or pick another --dest; if no such pull runs, remove ${path}`,
        details: { lock: path, owner },
      }),
  });
}
