/**
 * What the pages show, behind one interface, so the server and pages can be tested on plain
 * values and the real source (profile-source.ts) is the only place that reads stores or queries.
 */
import type { Finding } from '../core/audit/findings.js';
import { shellQuote } from '../core/shell.js';
import type { Manifest } from '../core/session/manifest-types.js';
import type { SnapshotRow, SnapshotSummary } from '../core/snapshot/rows.js';
import type { FileRow } from '../query/run-query.js';
import type { LedgerView, SessionView } from '../query/session-view.js';

export type { LedgerView, SessionView };

/** The sessions a filter matches (exactly those `recpipe query`/`pull` with it would return). */
export interface SessionsResult {
  terms: string[];
  sessions: SessionView[];
  /** Variable names over the matched sessions, and those whose every value is a number. */
  variables: string[];
  numeric: string[];
  totals: { sessions: number; files: number; bytes: number };
}

export interface SessionDetail {
  row?: SessionView;
  manifest?: Manifest;
  ledger: LedgerView[];
  outputs: FileRow[];
  provenance?: Record<string, unknown>;
  /** `recpipe verify` findings for this session (metadata-level: no re-hashing). */
  findings: Finding[];
  findingsError?: string;
  /** Data warnings recorded with the session, if this version records any. */
  warnings: unknown[];
}

export interface RigSummary {
  rig: string;
  lastHeartbeat?: string;
  lastUpload?: string;
  /** Sessions whose latest rig event says ready-but-not-uploaded, invalid, or failed. */
  waiting: string[];
  invalid: string[];
  failed: string[];
  catalogued: number;
}

export interface RigsResult {
  rigs: RigSummary[];
  /** Where the events were read from, said on the page. */
  eventSource: string;
}

export interface UiSource {
  sessions(terms: string[]): Promise<SessionsResult>;
  session(id: string): Promise<SessionDetail>;
  rigs(): Promise<RigsResult>;
  /** Every snapshot, newest first. */
  snapshots(): Promise<SnapshotSummary[]>;
  /** One snapshot's files, or undefined when there is none by that name. */
  snapshot(name: string): Promise<SnapshotRow[] | undefined>;
}

/**
 * The filter box's text as the terms `recpipe query` takes on its command line: split on
 * whitespace, except inside single or double quotes (`notes~'slight drift'`).
 */
export function splitTerms(text: string): string[] {
  return text.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
}

export { shellQuote } from '../core/shell.js';

/** The `recpipe pull` command a researcher can paste to fetch what the table shows. */
export function pullCommand(terms: string[]): string {
  return ['recpipe', 'pull', ...terms.map(shellQuote), '--dest', './data'].join(' ');
}
