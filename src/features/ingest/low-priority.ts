/**
 * The rig daemon yields to the recording: lowest CPU priority (nice 19, os.setPriority) and the
 * lowest best-effort I/O priority (`ionice -c 2 -n 7`, when ionice is installed; Linux only).
 * Best-effort rather than the idle class: a rig that writes all day would starve an idle-class
 * upload. `watchPriority: normal` (or `recpipe watch --priority normal`) leaves both alone.
 */
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Logger } from '../../core/ports.js';

export interface PriorityDeps {
  setPriority: (pid: number, priority: number) => void;
  /** Runs a command; returns its exit status (null when it could not start, e.g. not installed). */
  run: (cmd: string, args: string[]) => number | null;
  pid: number;
  logger: Logger;
}

const real = (logger: Logger): PriorityDeps => ({
  setPriority,
  run: (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status,
  pid: process.pid,
  logger,
});

/** Lowers this process's CPU and I/O priority; returns what was done (for the log and tests). */
export function lowerPriority(logger: Logger, deps: PriorityDeps = real(logger)): { cpu: boolean; io: boolean } {
  let cpu = false;
  try {
    deps.setPriority(deps.pid, 19);
    cpu = true;
  } catch (e) {
    deps.logger.log('warn', 'watch.priority_failed', { what: 'cpu', error: String(e) });
  }
  const io = deps.run('ionice', ['-c', '2', '-n', '7', '-p', String(deps.pid)]) === 0;
  if (!io) deps.logger.log('info', 'watch.ionice_unavailable', { hint: 'install util-linux (ionice) for low I/O priority' });
  deps.logger.log('info', 'watch.priority', { cpu: cpu ? 'nice 19' : 'unchanged', io: io ? 'best-effort 7' : 'unchanged' });
  return { cpu, io };
}
