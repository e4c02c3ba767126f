/** The file logger seen as a writer of any event with any fields (the typed Logger port is the callers' concern), for the log adapter's own tests. */
import { createFileLogger, type FileLoggerOptions } from '../../src/adapters/log/file-logger.js';

export interface AnyEvents {
  log(level: 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): AnyEvents;
  close(): Promise<void>;
}

export const logTo = (o: FileLoggerOptions) => createFileLogger(o) as unknown as AnyEvents;

/** Lets the writes queued so far run their callbacks. */
export const tick = () => new Promise<void>((res) => setImmediate(res));
