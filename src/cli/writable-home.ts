/**
 * The folders a command writes into (RECPIPE_HOME, its log folder) are checked before anything
 * starts. A daemon given a home it cannot write (the README once had root create
 * /var/lib/recpipe for a `recpipe` user) died with a raw `EACCES ... mkdir` stack trace and was
 * restarted every 10 s; now it stops with one line naming the folder, the user and the fix.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { RecpipeError } from '../core/errors.js';

/** Commands that only read: they run with no log file when the home cannot be written (an operator reading a daemon's state). */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(['status', 'check', 'config show']);

const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Creates `dir` if needed and checks this user may write in it; throws a `config` error (exit 2) when not. */
export function ensureWritable(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!DENIED.has(code)) throw e;
    const user = userName();
    throw new RecpipeError('config', `${what} ${dir} is not writable by user ${user} (${code})`, {
      fault: 'user',
      hint:
        code === 'EROFS'
          ? `point ${what} at a folder on a writable file system`
          : `give the folder to that user (sudo chown -R ${user}: ${dir}) or point ${what} at a folder it owns; under systemd, deploy/recpipe-watch.service's StateDirectory= and LogsDirectory= do this`,
    });
  }
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
