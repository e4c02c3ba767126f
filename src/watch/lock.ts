/**
 * One daemon per watched folder: an exclusive lock file holding the owner's pid. A lock whose
 * pid is gone (kill -9, reboot) is taken over; a live one refuses the second daemon.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { RecpipeError } from '../core/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(path: string, root: string): Promise<{ release(): Promise<void> }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(JSON.stringify({ pid: process.pid, root, startedAt: new Date().toISOString() }));
      await fh.close();
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as { pid?: number };
      if (owner.pid && owner.pid !== process.pid && alive(owner.pid)) {
        throw new RecpipeError('locked', `another recpipe watch (pid ${owner.pid}) is already watching ${root}`, { hint: `stop it first (systemctl stop recpipe-watch, or kill ${owner.pid}); one daemon per folder` });
      }
      await rm(path, { force: true });
    }
  }
  throw new RecpipeError('locked', `cannot take the lock ${path}`, { hint: 'remove it if no recpipe watch is running' });
}
