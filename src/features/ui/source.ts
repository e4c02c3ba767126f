/**
 * What the pages show, behind one interface, so the server and pages can be tested on plain
 * values and the real source (profile-source.ts) is the only place that reads stores or queries.
 */
import type { Finding } from '../../core/audit/findings.js';
import { shellQuote } from '../../core/shell.js';
import type { SessionState } from '../../core/audit/session-state.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import type { RevisionState } from '../../core/session/served-revision.js';
import type { SnapshotRow, SnapshotSummary } from '../../core/snapshot/rows.js';
import type { FileRow } from '../query/run-query.js';
import type { LedgerView, SessionView } from '../query/session-view.js';

export type { LedgerView, SessionState, SessionView };

/** Which sessions the Sessions page lists: all, those needing a look, or one state. */
export const STATE_FILTERS = ['all', 'attention', 'done', 'done_with_gaps', 'held', 'retrying', 'dead', 'incomplete', 'not_processed', 'processing'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

/** The sessions a filter matches (exactly those `recpipe query`/`pull` with it would return). */
export interface SessionsResult {
  terms: string[];
  sessions: SessionView[];
  /** Variable names over the matched sessions, and those whose every value is a number. */
  variables: string[];
  numeric: string[];
  totals: { sessions: number; files: number; bytes: number };
  /** The one session state of every session listed (core/audit/session-state.ts), by id. */
  states: Record<string, SessionState>;
  /**
   * Committed sessions without outputs for the configured pipeline version (dead, failed, not
   * processed, incomplete): no query matches them, so they are listed when the filter is empty.
   */
  unprocessed: string[];
}

export interface SessionDetail {
  row?: SessionView;
  /** The served revision's manifest (what the catalog, outputs and `pull` follow). */
  manifest?: Manifest;
  /** The one session state: what the CLI's `status` and `verify` say about it. */
  state?: SessionState;
  /** Its revisions, when it has more than one (held ones with both hashes of each changed file). */
  revisions?: RevisionState;
  ledger: LedgerView[];
  outputs: FileRow[];
  provenance?: Record<string, unknown>;
  /** `recpipe verify` findings for this session: a live metadata-level audit plus this machine's last verify (re-hashes). */
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
  /** Sessions whose one state is failing (dead, incomplete, damaged) or needs a look (gaps, held, retrying). */
  failing?: string[];
  attention?: string[];
  /** The rig's API keys: how many can authenticate, and those revoked. */
  keys?: { active: number; revoked: { id: string; revokedAt: string }[] };
}

export interface RigsResult {
  rigs: RigSummary[];
  /** Now, for "last upload 3 h ago". */
  now: string;
  /** Where the events were read from, said on the page. */
  eventSource: string;
}

export interface UiSource {
  sessions(terms: string[], state?: StateFilter): Promise<SessionsResult>;
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

export { shellQuote } from '../../core/shell.js';

/** The `recpipe pull` command a researcher can paste to fetch what the table shows. */
export function pullCommand(terms: string[]): string {
  return ['recpipe', 'pull', ...terms.map(shellQuote), '--dest', './data'].join(' ');
}
