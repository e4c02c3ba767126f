/** A Logger that keeps every entry in memory, so tests can assert on what was logged. */
import type { LogLevel, Logger } from '../../core/ports.js';

export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

export class MemoryLogger implements Logger {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly base: Record<string, unknown> = {},
  ) {}

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level, event, fields: { ...this.base, ...fields } });
  }

  child(fields: Record<string, unknown>): Logger {
    return new MemoryLogger(this.entries, { ...this.base, ...fields });
  }
}
