/**
 * What every command action gets: resolved config (lazily), one reporter, one logger, the
 * streams and an abort signal tied to SIGINT/SIGTERM. Commands return a CommandResult; only
 * main.ts turns it into output and an exit code.
 */
import type { Writable } from 'node:stream';
import { loadConfig, recpipeHome } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger, Reporter } from '../core/ports.js';
import type { ClosableLogger } from '../adapters/log/file-logger.js';
import { createAppLogger, logFiles } from '../adapters/log/log-files.js';
import { LineReporter, SpinnerReporter, silentReporter } from './render/reporter.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** The terminal's width in columns; 0 or absent when there is none (a pipe) or it does not say. */
  columns?: number;
  cwd: string;
  /** Standard input, for commands that read a query result from a pipe. */
  stdin?: NodeJS.ReadableStream;
}

export interface CommandResult {
  /** The machine result: printed as JSON with --json. */
  data: unknown;
  /** Human rendering (printed on stdout without --json). */
  human?: string;
  /** Non-zero when the work did not fully succeed (e.g. some sessions invalid). */
  exitCode?: number;
}

export interface GlobalOptions {
  json?: boolean;
  profile?: string;
  debug?: boolean;
}

export interface Runtime {
  io: CliIo;
  json: boolean;
  home: string;
  reporter: Reporter;
  logger: Logger;
  logPath: string;
  signal: AbortSignal;
  /** Resolved config; `flags` are this command's option values that map to config keys. */
  config(flags?: Record<string, unknown>): Config;
}

export async function createRuntime(io: CliIo, globals: GlobalOptions, command: string, signal: AbortSignal): Promise<Runtime & { close(): Promise<void> }> {
  const json = Boolean(globals.json);
  const home = recpipeHome(io.env);
  const logPath = logFiles(home).main;
  let level: Config['logLevel'] = 'info';
  try {
    level = loadConfig({ env: io.env, profile: globals.profile }).config.logLevel;
  } catch {
    // a bad config is reported by the command itself; log at info meanwhile
  }
  const logger: ClosableLogger = createAppLogger({ home, level, fields: { component: 'cli', command, pid: process.pid } });
  let reporter: Reporter;
  if (json) reporter = silentReporter;
  // ora divides by the terminal's width to clear its lines: on a terminal that reports 0 columns
  // (a serial console, some CI pseudo-terminals) it clears lines forever. Plain lines there.
  else if (io.isTTY && ((io.stderr as { columns?: number }).columns ?? 0) > 0) {
    const { default: ora } = await import('ora');
    reporter = new SpinnerReporter((text) => ora({ text, stream: io.stderr }));
  } else reporter = new LineReporter(io.stderr);
  return {
    io,
    json,
    home,
    reporter,
    logger,
    logPath,
    signal,
    config: (flags) => loadConfig({ env: io.env, profile: globals.profile, flags }).config,
    close: () => logger.close(),
  };
}
