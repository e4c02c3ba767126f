/**
 * Which progress output a terminal can take. ora redraws by moving the cursor up one line per
 * `ceil(width / columns)`: a terminal that reports 0 columns (a serial console, `script`, some CI
 * runners) made that Infinity, and the spinner wrote `ESC[0K ESC[1A` forever on the event loop,
 * so neither the upload nor SIGINT/SIGTERM got a turn. A spinner therefore needs a TTY that
 * reports a usable width; anything else gets plain lines, and stderr connected to the journal
 * gets plain lines with syslog priority prefixes that journald reads.
 */
import { fstatSync } from 'node:fs';

/** `spinner`: ora on a TTY; `lines`: plain lines; `journal`: plain lines with `<N>` priorities; `silent`: --json. */
export type ReporterKind = 'silent' | 'spinner' | 'lines' | 'journal';

/** Narrower than this, a spinner line with its bar wraps on every frame: plain lines read better. */
export const MIN_SPINNER_COLUMNS = 20;

/** What the choice depends on, gathered at the CLI edge. */
export interface TerminalFacts {
  json: boolean;
  isTTY: boolean;
  /** What the terminal reports; 0 or undefined when it reports nothing usable. */
  columns: number | undefined;
  /** stderr is the stream systemd connected to the journal (JOURNAL_STREAM names it). */
  journal: boolean;
}

/** The reporter a run gets (pure). */
export function reporterKind(t: TerminalFacts): ReporterKind {
  if (t.json) return 'silent';
  if (t.isTTY && (t.columns ?? 0) >= MIN_SPINNER_COLUMNS) return 'spinner';
  return t.journal ? 'journal' : 'lines';
}

/**
 * True when file descriptor `fd` is the journal stream systemd gave this service. systemd sets
 * JOURNAL_STREAM to "device:inode" of that stream; comparing it with the descriptor (as
 * systemd.exec(5) advises) tells a service's own output from a child whose stderr was
 * redirected, where INVOCATION_ID alone would not.
 */
export function isJournalStream(env: NodeJS.ProcessEnv, fd = 2): boolean {
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!m) return false;
  try {
    const s = fstatSync(fd, { bigint: true });
    return s.dev === BigInt(m[1]) && s.ino === BigInt(m[2]);
  } catch {
    return false;
  }
}
