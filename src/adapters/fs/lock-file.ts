/**
 * One daemon per watched folder (and one upload per session): an exclusive lock file holding
 * the owner's pid. A lock whose pid is gone (kill -9, reboot) is taken over; a live one refuses
 * the second process with the error `busy` makes (default: the watch daemon's).
 */
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RecpipeError } from '../../core/errors.js';

/** Whether a process with this pid runs on this host (one we may not signal counts as running). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a lock file records about its holder. */
export interface LockHolder {
  pid: number;
  startedAt?: string;
}

const watchBusy = (root: string) => (h: LockHolder) =>
  new RecpipeError('locked', `another recpipe watch (pid ${h.pid}) is already watching ${root}`, { hint: `stop it first (systemctl stop recpipe-watch, or kill ${h.pid}); one daemon per folder` });

/** Locks this process holds: a lock file with our own pid but not listed here is a leftover. */
const held = new Set<string>();

export async function acquireLock(path: string, root: string, busy: (holder: LockHolder) => RecpipeError = watchBusy(root)): Promise<{ release(): Promise<void> }> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then linked into place: the lock file never exists without its holder's
    // pid, so a second process never mistakes a lock being taken for an abandoned one.
    const aside = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(aside, JSON.stringify({ pid: process.pid, root, startedAt: new Date().toISOString() }));
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
      const owner = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Partial<LockHolder>;
      const mine = owner.pid === process.pid;
      if (owner.pid && ((mine && held.has(path)) || (!mine && alive(owner.pid)))) throw busy({ pid: owner.pid, startedAt: owner.startedAt });
      await rm(path, { force: true });
    } finally {
      await rm(aside, { force: true });
    }
  }
  throw new RecpipeError('locked', `cannot take the lock ${path}`, { hint: 'remove it if no recpipe watch is running' });
}
