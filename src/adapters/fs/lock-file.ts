/**
 * The one lock-file implementation: one watch daemon per folder, one upload per session, one
 * pull per destination. The lock is a file holding the owner's pid, host and start time. A lock
 * whose owner is gone from this host (kill -9, reboot) is taken over; a live one either refuses
 * the second process with the error `busy` makes, or (with `wait`) is polled until it is free.
 */
import { hostname } from 'node:os';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RecpipeError } from '../../core/errors.js';
import { pause } from '../../core/backoff.js';
import { anything, int, obj, opt } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

/** What a lock file records about its holder. */
export interface LockHolder {
  pid: number;
  /** Absent in locks written before hosts were recorded: read as this host. */
  host?: string;
  startedAt?: string;
}

/** How to take a lock. */
export interface LockOptions {
  /** The error for a live holder, when not waiting. */
  busy: (holder: LockHolder) => RecpipeError;
  /** Poll a live holder until it lets go, instead of refusing at once. */
  wait?: boolean;
  signal?: AbortSignal;
  /** Called once when the lock is busy and the caller waits. */
  onWait?: (holder: LockHolder) => void;
  /** Between two looks at a busy lock (injectable for tests). */
  pollMs?: number;
  /** Written into the lock file beside the holder, for people reading it (e.g. the watched root). */
  note?: Record<string, string>;
}

/** A held lock. */
export interface Lock {
  release(): Promise<void>;
}

/** Whether a process with this pid runs on this host (one we may not signal counts as running). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the lock at `path` is held by a live process: one on this host that still runs, or one
 * on another host (a shared folder), which cannot be judged from here and counts as held.
 */
export async function lockHeld(path: string): Promise<LockHolder | undefined> {
  const owner = await readHolder(path);
  if (!owner) return undefined;
  const here = owner.host === undefined || owner.host === hostname();
  return !here || alive(owner.pid) ? owner : undefined;
}

/**
 * A lock file's holder: its pid decides, so only the pid is required; host and start time are read
 * as they were before (a mistyped host is read as this host, not as a lock to take over). A
 * `note` beside them is not read.
 */
export const LOCK_HOLDER = storedRecord({
  what: 'lock file',
  hint: 'nothing to do: a lock whose holder cannot be read is taken over',
  shape: obj({ pid: int, host: opt(anything), startedAt: opt(anything) }),
});

/**
 * The holder, or undefined when there is no lock file or it cannot be read (cut short by a crash
 * while it was written, or damaged): such a lock names no live holder and is taken over, as before.
 */
async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const o = LOCK_HOLDER.parse(await readFile(path), path);
    return { pid: o.pid, host: typeof o.host === 'string' ? o.host : undefined, startedAt: typeof o.startedAt === 'string' ? o.startedAt : undefined };
  } catch {
    return undefined;
  }
}

/** Lock paths this process holds: a lock file with our own pid but not listed here is a leftover. */
const held = new Set<string>();

/** Takes the lock at `path`; resolves with its release. */
export async function takeLock(path: string, o: LockOptions): Promise<Lock> {
  await mkdir(dirname(path), { recursive: true });
  const host = hostname();
  let told = false;
  let takeovers = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    // Written aside, then linked into place: the lock file never exists without its holder's
    // pid, so a second process never mistakes a lock being taken for an abandoned one.
    const aside = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(aside, JSON.stringify({ pid: process.pid, host, startedAt: new Date().toISOString(), ...o.note }) + '\n');
      await link(aside, path);
      held.add(path);
      return {
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await rm(aside, { force: true });
    }
    const owner = await readHolder(path);
    const here = owner !== undefined && (owner.host === undefined || owner.host === host);
    const mine = here && owner.pid === process.pid;
    // No readable holder, or a holder gone from this host: the file is a leftover, take it over.
    // A holder on another host (a shared folder) is never judged from here.
    const live = owner !== undefined && (!here || (mine ? held.has(path) : alive(owner.pid)));
    if (!live) {
      // Bounded: a leftover that comes back at once is not a leftover.
      if (++takeovers > 3) throw new RecpipeError('locked', `cannot take the lock ${path}`, { hint: 'remove it if no recpipe process is using it' });
      await rm(path, { force: true });
      continue;
    }
    if (!o.wait) throw o.busy(owner);
    if (!told) {
      told = true;
      o.onWait?.(owner);
    }
    await pause(o.pollMs ?? 250, o.signal);
  }
}

const watchBusy = (root: string) => (h: LockHolder) =>
  new RecpipeError('locked', `another recpipe watch (pid ${h.pid}) is already watching ${root}`, {
    hint: `stop it first (systemctl stop recpipe-watch, or kill ${h.pid}); one daemon per folder`,
  });

/** Takes the lock at `path` for work on `root`, refusing at once if it is held (default error: the watch daemon's). */
export async function acquireLock(path: string, root: string, busy: (holder: LockHolder) => RecpipeError = watchBusy(root)): Promise<Lock> {
  return takeLock(path, { busy, note: { root } });
}
