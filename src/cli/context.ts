/**
 * What every command action gets: resolved config (lazily), the profile's services (built only
 * in src/composition), one reporter, one logger, the streams and an abort signal tied to
 * SIGINT/SIGTERM. Commands return a CommandResult; only main.ts turns it into output and an exit
 * code.
 */
import type { Writable } from 'node:stream';
import { loadConfig, recpipeHome, recpipeLogDir } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger, Reporter } from '../core/ports.js';
import type { ClosableLogger } from '../adapters/log/file-logger.js';
import { nullLogger } from '../adapters/log/file-logger.js';
import { createAppLogger, logFiles } from '../adapters/log/log-files.js';
import { openServices, type Services } from '../composition/services.js';
import { READ_ONLY_COMMANDS, ensureWritable } from './writable-home.js';
import { LineReporter, SpinnerReporter, silentReporter } from './render/reporter.js';
import { reporterKind } from './render/reporter-kind.js';
import type { GlobalFlags } from './flags/table.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** The terminal's width in columns, for tables; 0 or absent when there is none (a pipe) or it does not say. */
  columns?: number;
  /** The width stderr reports (0 or undefined: none; then no spinner, see render/reporter-kind.ts). */
  progressColumns?: number;
  /** stderr is systemd's journal stream (plain lines with syslog priorities). */
  journal?: boolean;
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

/** --json, --profile, --debug, as the flag table declares them. */
export type GlobalOptions = GlobalFlags;

/** The config keys this command's flags set, and the flag that set each (named in config errors and `sources`). */
export interface FlagConfig {
  values: Record<string, unknown>;
  names: Record<string, string>;
}

export interface Runtime {
  io: CliIo;
  json: boolean;
  home: string;
  reporter: Reporter;
  logger: Logger;
  logPath: string;
  signal: AbortSignal;
  /** Ends progress output still under way before the result is printed (a spinner a signal left running). */
  settleProgress(): void;
  /**
   * Resolved config, with the command's config-setting flags (declared in src/cli/flags) applied
   * above the environment and the file; `overrides`, if given, go above those.
   */
  config(overrides?: Record<string, unknown>): Config;
  /**
   * The services of `config`'s profile (composition/services.ts), each built on first use and all
   * released when the command ends; with `directRig`, the direct profile for that rig.
   */
  services(config: Config, o?: { directRig?: string }): Services;
}

export async function createRuntime(
  io: CliIo,
  globals: GlobalOptions,
  command: string,
  signal: AbortSignal,
  flagConfig: FlagConfig = { values: {}, names: {} },
): Promise<Runtime & { close(): Promise<void> }> {
  const json = Boolean(globals.json);
  const home = recpipeHome(io.env);
  const logDir = recpipeLogDir(io.env);
  const logPath = logFiles(home, logDir).main;
  let writable = true;
  try {
    ensureWritable(home, 'RECPIPE_HOME');
    ensureWritable(logDir, io.env.RECPIPE_LOG_DIR ? 'RECPIPE_LOG_DIR' : 'the log folder');
  } catch (e) {
    if (!READ_ONLY_COMMANDS.has(command)) throw e;
    writable = false;
  }
  let level: Config['logLevel'] = 'info';
  try {
    level = loadConfig({ env: io.env, profile: globals.profile }).config.logLevel;
  } catch {
    // a bad config is reported by the command itself; log at info meanwhile
  }
  const logger: ClosableLogger = writable
    ? createAppLogger({ home, dir: logDir, level, fields: { component: 'cli', command, pid: process.pid } })
    : Object.assign(Object.create(nullLogger) as Logger, { path: logPath, close: async () => undefined });
  let reporter: Reporter;
  const kind = reporterKind({ json, isTTY: io.isTTY, columns: io.progressColumns, journal: Boolean(io.journal) });
  if (kind === 'silent') reporter = silentReporter;
  else if (kind === 'spinner') {
    const { default: ora } = await import('ora');
    // discardStdin off: ora's discarder puts the TTY in raw mode, so Ctrl-C reaches the process
    // only as a byte on stdin, which it listens for with prependListener, which never starts the
    // stream flowing: the byte was never read and Ctrl-C did nothing while a spinner ran. In
    // cooked mode the terminal turns Ctrl-C into SIGINT, which main.ts handles.
    reporter = new SpinnerReporter((text) => ora({ text, stream: io.stderr, discardStdin: false }));
  } else reporter = new LineReporter(io.stderr, kind === 'journal');
  const opened = new Set<Services>();
  return {
    io,
    json,
    home,
    reporter,
    logger,
    logPath,
    signal,
    settleProgress: () => (reporter instanceof SpinnerReporter ? reporter.halt() : undefined),
    config: (overrides) =>
      loadConfig({ env: io.env, profile: globals.profile, flags: { ...flagConfig.values, ...overrides }, flagNames: flagConfig.names }).config,
    services: (config, o) => {
      const built = openServices(config, logger, o?.directRig);
      // Closed early by the command (a read of `recpipe ui`), it is not kept until the end.
      const services: Services = {
        ...built,
        close: () => {
          opened.delete(services);
          built.close();
        },
      };
      opened.add(services);
      return services;
    },
    close: async () => {
      for (const s of [...opened].reverse()) s.close();
      await logger.close();
    },
  };
}
