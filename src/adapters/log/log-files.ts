/**
 * The local log files under $RECPIPE_HOME/logs, and the one logger every command writes to:
 *
 * - `recpipe.log`: everything, JSON lines, rotated 5 x 10 MiB (`recpipe1.log` ... `recpipe4.log`, log-file.ts);
 * - `recpipe-audit.log`: the audit lines (core/events.ts isAuditLine) again, never rotated:
 *   key enrolments and revocations, commits, multipart uploads;
 * - `recpipe-client-events.log`: the events rigs ship through the local API (written by the
 *   embedded stack, rotated 5 x 10 MB, each rig within its event budget).
 *
 * Rigs' traffic can rotate `recpipe.log` (one line per request), but it never reaches the audit
 * log except through changes their quota bounds, and their events have a file of their own
 * (issue 26: 80 event requests rotated away every earlier line of the single log).
 */
import { join } from 'node:path';
import type { LogLevel } from '../../core/ports.js';
import { isAuditLine } from '../../core/events.js';
import { createFileLogger, type ClosableLogger } from './file-logger.js';

/** Where the logs of a RECPIPE_HOME are (names match the web view's `recpipe*.log`); `dir`: RECPIPE_LOG_DIR when set. */
export function logFiles(home: string, dir = join(home, 'logs')): { dir: string; main: string; audit: string; clientEvents: string } {
  return { dir, main: join(dir, 'recpipe.log'), audit: join(dir, 'recpipe-audit.log'), clientEvents: join(dir, 'recpipe-client-events.log') };
}

/** The logger of a command (and of the embedded stack it runs): the main log, with the audit lines teed. */
export function createAppLogger(o: { home: string; dir?: string; level: LogLevel; fields?: Record<string, unknown> }): ClosableLogger {
  const files = logFiles(o.home, o.dir);
  return createFileLogger({ path: files.main, level: o.level, fields: o.fields, audit: { path: files.audit, keep: isAuditLine } });
}

/** The embedded stack's log of the events rigs ship (POST /v1/events). */
export function createClientEventsLogger(home: string): ClosableLogger {
  return createFileLogger({ path: logFiles(home).clientEvents, level: 'debug', fields: { component: 'client-events' } });
}
