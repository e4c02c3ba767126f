/**
 * The Lambdas' logger: one JSON line per event on stdout (CloudWatch Logs picks it up), in the
 * same format as the local log file, with secrets redacted.
 */
import type { LogLevel, Logger } from '../../core/ports.js';
import { redact } from './redact.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function stdoutLogger(
  fields: Record<string, unknown> = {},
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  return {
    log(l: LogLevel, event: string, f: Record<string, unknown> = {}) {
      if (ORDER[l] < ORDER[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: l, event, ...(redact({ ...fields, ...f }) as object) }) + '\n');
    },
    child: (more) => stdoutLogger({ ...fields, ...more }, level, write),
  };
}
