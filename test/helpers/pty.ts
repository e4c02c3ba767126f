/**
 * Runs the built CLI in a pseudo-terminal of a chosen size (test/helpers/pty-run.py, Python's
 * standard `pty` module: no native dependency), so tests see what a technician's terminal, a
 * serial console (0 x 0) or `script` would show.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN, exitOf, waitFor } from './cli.js';
import { onCleanup } from './tmp.js';

const RUNNER = fileURLToPath(new URL('./pty-run.py', import.meta.url));

/** Why pty tests cannot run here, or undefined when they can. */
export const ptyUnavailable: string | undefined =
  spawnSync('python3', ['-c', 'import pty, termios, fcntl'], { stdio: 'ignore' }).status === 0 ? undefined : 'python3 with the pty module is not installed';

export interface PtyRun {
  runner: ChildProcess;
  /** The CLI's own pid (the runner's child), once known. */
  pid(): Promise<number>;
  /** Everything the terminal showed, raw. */
  output(): string;
  /** Types into the terminal (e.g. "\x03" for Ctrl-C). */
  type(text: string): void;
  /** The CLI's exit code (128 + N when signal N ended it). */
  exit(): Promise<number | null>;
}

/** Starts `recpipe ARGV` in a `cols` x `rows` terminal with only `env`; killed when the test file ends. */
export function spawnInPty(cols: number, rows: number, argv: string[], env: Record<string, string>): PtyRun {
  const runner = spawn('python3', [RUNNER, String(cols), String(rows), process.execPath, BIN, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let cliPid: number | undefined;
  runner.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
  runner.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    cliPid ??= Number(/pid (\d+)/.exec(err)?.[1]) || undefined;
  });
  onCleanup(async () => {
    if (runner.exitCode !== null || runner.signalCode !== null) return;
    try {
      if (cliPid) process.kill(cliPid, 'SIGKILL');
    } catch {
      // already gone
    }
    runner.kill('SIGKILL');
    await exitOf(runner);
  });
  return {
    runner,
    pid: async () => {
      await waitFor(() => cliPid !== undefined, 10_000, 'the CLI in the pty to start');
      return cliPid!;
    },
    output: () => out,
    type: (text) => runner.stdin.write(text),
    exit: () => exitOf(runner),
  };
}
