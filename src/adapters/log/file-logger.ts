/**
 * The structured logger: JSON lines to a rotating local file (winston), one format everywhere
 * (`time`, `level`, `event`, `sessionId` as correlation id, fields). Secrets are redacted.
 */
import { mkdirSync } from 'node:fs';
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
}

class WinstonLogger implements Logger {
  constructor(private readonly w: winston.Logger, private readonly fields: Record<string, unknown>) {}

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    // Passing an info object (not (level, msg, meta)) keeps a `message` field from being merged.
    this.w.log({ message: '', ...(redact({ ...this.fields, ...fields }) as object), level, event });
  }

  child(fields: Record<string, unknown>): Logger {
    return new WinstonLogger(this.w, { ...this.fields, ...fields });
  }
}

export interface ClosableLogger extends Logger {
  close(): Promise<void>;
  readonly path: string;
}

export function createFileLogger(options: FileLoggerOptions): ClosableLogger {
  mkdirSync(dirname(options.path), { recursive: true });
  const w = winston.createLogger({
    level: options.level,
    format: winston.format.printf((info) => {
      const { level, event, message, ...rest } = info;
      return JSON.stringify({ time: new Date().toISOString(), level, event, ...(message ? { message } : {}), ...rest });
    }),
    transports: [
      new winston.transports.File({
        filename: options.path,
        maxsize: options.maxBytes ?? 10 * 1024 * 1024,
        maxFiles: options.maxFiles ?? 5,
        tailable: true,
      }),
    ],
  });
  const base = new WinstonLogger(w, options.fields ?? {});
  return Object.assign(base, {
    path: options.path,
    close: () =>
      new Promise<void>((res) => {
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
