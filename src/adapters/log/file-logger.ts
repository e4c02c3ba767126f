/**
 * The structured logger: JSON lines to a rotating local file (log-file.ts), one format everywhere
 * (`time`, `level`, `event`, `sessionId` as correlation id, fields). Secrets are redacted.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel, Logger } from '../../core/ports.js';
import { LogFile } from './log-file.js';
import { redact } from './redact.js';

export interface FileLoggerOptions {
  path: string;
  level: LogLevel;
  /** Base fields on every line (component, host, version...). */
  fields?: Record<string, unknown>;
  /** The main file turns over before a line would take it past this size (default 10 MiB). */
  maxBytes?: number;
  /** Files kept in all, the current one included (default 5): `recpipe.log`, `recpipe1.log` ... `recpipe4.log`. */
  maxFiles?: number;
  /**
   * A second file that also receives the lines `keep` selects and is never rotated, so nothing
   * written to the main log (which rotates) can push them out.
   */
  audit?: { path: string; keep: (event: unknown, fields: Record<string, unknown>) => boolean };
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Shared by a logger and its children. */
interface Sink {
  rank: number;
  main: LogFile;
  audit?: { file: LogFile; keep: NonNullable<FileLoggerOptions['audit']>['keep'] };
  fail: (path: string, e: unknown) => void;
}

class JsonLinesLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly fields: Record<string, unknown>,
  ) {}

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (RANK[level] > this.sink.rank) return;
    try {
      const info = { ...(redact({ ...this.fields, ...fields }) as object), level, event };
      const text = line(info) + '\n';
      this.sink.main.write(text);
      if (this.sink.audit?.keep(event, info)) this.sink.audit.file.write(text);
    } catch (e) {
      // A field that will not serialise: logging must never take the process down.
      this.sink.fail(this.sink.main.path, e);
    }
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLinesLogger(this.sink, { ...this.fields, ...fields });
  }
}

function line(info: Record<string, unknown>): string {
  const { level, event, message, ...rest } = info;
  return JSON.stringify({ time: new Date().toISOString(), level, event, ...(message ? { message } : {}), ...rest });
}

export interface ClosableLogger extends Logger {
  /** Resolves once every line logged so far is written; lines logged after that are appended synchronously. Idempotent. */
  close(): Promise<void>;
  readonly path: string;
}

export function createFileLogger(options: FileLoggerOptions): ClosableLogger {
  // A full disk or a removed log folder must not crash an upload: report once on stderr.
  let warned = false;
  const fail = (path: string, e: unknown) => {
    if (!warned) process.stderr.write(`recpipe: cannot write the log ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    warned = true;
  };
  try {
    mkdirSync(dirname(options.path), { recursive: true });
  } catch (e) {
    fail(options.path, e);
  }
  const rotation = { maxBytes: options.maxBytes ?? 10 * 1024 * 1024, maxFiles: options.maxFiles ?? 5 };
  const sink: Sink = { rank: RANK[options.level], main: new LogFile(options.path, rotation, fail), fail };
  if (options.audit) sink.audit = { file: new LogFile(options.audit.path, undefined, fail), keep: options.audit.keep };
  const base = new JsonLinesLogger(sink, options.fields ?? {});
  let closing: Promise<void> | undefined;
  return Object.assign(base, {
    path: options.path,
    close: () => (closing ??= Promise.all([sink.main.close(), sink.audit?.file.close()]).then(() => undefined)),
  });
}

/** A logger that drops everything (tests, --help). */
export const nullLogger: Logger = {
  log: () => undefined,
  child: () => nullLogger,
};
