/**
 * The structured logger: JSON lines to a rotating local file (winston), one format everywhere
 * (`time`, `level`, `event`, `sessionId` as correlation id, fields). Secrets are redacted.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import winston from 'winston';
import type { LogLevel, Logger } from '../../core/ports.js';
import { redact } from './redact.js';

export interface FileLoggerOptions {
  path: string;
  level: LogLevel;
  /** Base fields on every line (component, host, version...). */
  fields?: Record<string, unknown>;
  maxBytes?: number;
  maxFiles?: number;
  /**
   * A second file that also receives the lines `keep` selects and is never rotated, so nothing
   * written to the main log (which rotates) can push them out.
   */
  audit?: { path: string; keep: (event: unknown, fields: Record<string, unknown>) => boolean };
}

/** Shared by a logger and its children: once closed, lines are appended synchronously. */
interface Sink {
  w: winston.Logger;
  path: string;
  closed: boolean;
  audit?: FileLoggerOptions['audit'];
}

class WinstonLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly fields: Record<string, unknown>,
  ) {}

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    const info = { ...(redact({ ...this.fields, ...fields }) as object), level, event };
    if (!this.sink.closed) {
      // Passing an info object (not (level, msg, meta)) keeps a `message` field from being merged.
      this.sink.w.log({ message: '', ...info });
      return;
    }
    // Work still finishing after the command returned (a retry giving up, a worker exiting):
    // its line still belongs in the log, but the stream is gone.
    if (!this.sink.w.isLevelEnabled(level)) return;
    try {
      appendFileSync(this.sink.path, line(info) + '\n');
      if (this.sink.audit?.keep(event, info)) appendFileSync(this.sink.audit.path, line(info) + '\n');
    } catch {
      // Logging must never take the process down.
    }
  }

  child(fields: Record<string, unknown>): Logger {
    return new WinstonLogger(this.sink, { ...this.fields, ...fields });
  }
}

function line(info: Record<string, unknown>): string {
  const { level, event, message, ...rest } = info;
  return JSON.stringify({ time: new Date().toISOString(), level, event, ...(message ? { message } : {}), ...rest });
}

export interface ClosableLogger extends Logger {
  close(): Promise<void>;
  readonly path: string;
}

export function createFileLogger(options: FileLoggerOptions): ClosableLogger {
  mkdirSync(dirname(options.path), { recursive: true });
  const transports: winston.transport[] = [
    new winston.transports.File({
      filename: options.path,
      maxsize: options.maxBytes ?? 10 * 1024 * 1024,
      maxFiles: options.maxFiles ?? 5,
      tailable: true,
    }),
  ];
  const audit = options.audit;
  if (audit) {
    const only = winston.format((info) => (audit.keep(info.event, info) ? info : false));
    transports.push(
      new winston.transports.File({
        filename: audit.path,
        format: winston.format.combine(
          only(),
          winston.format.printf((info) => line(info)),
        ),
      }),
    );
  }
  const w = winston.createLogger({ level: options.level, format: winston.format.printf((info) => line(info)), transports });
  // A full disk or a removed log folder must not crash an upload: report once on stderr.
  let warned = false;
  w.on('error', (e: Error) => {
    if (!warned) process.stderr.write(`recpipe: cannot write the log ${options.path}: ${e.message}\n`);
    warned = true;
  });
  const sink: Sink = { w, path: options.path, closed: false, audit };
  const base = new WinstonLogger(sink, options.fields ?? {});
  return Object.assign(base, {
    path: options.path,
    close: () =>
      new Promise<void>((res) => {
        if (sink.closed) return res();
        sink.closed = true;
        w.on('finish', () => res());
        w.end();
      }),
  });
}

/** A logger that drops everything (tests, --help). */
export const nullLogger: Logger = {
  log: () => undefined,
  child: () => nullLogger,
};
