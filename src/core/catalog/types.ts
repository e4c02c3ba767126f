/**
 * Catalog rows, one JSON object per line (NDJSON), read by Athena (Glue tables with the JSON
 * SerDe) and by DuckDB (read_json). Column names are snake_case and stable; new metadata
 * variables go into the two maps, so a new variable never changes the table schema.
 */

/** catalog/sessions/dt=YYYY-MM-DD/<rig>__<session>.json */
export interface SessionRow {
  session_id: string;
  rig: string;
  session: string;
  /** Local wall-clock start `YYYY-MM-DD HH:MM:SS` (Athena/DuckDB timestamp literal form). */
  recorded_at: string;
  /** ISO-8601 UTC time the manifest was committed. */
  uploaded_at: string;
  file_count: number;
  total_bytes: number;
  raw_prefix: string;
  manifest_sha256: string;
  metadata_file: string;
  /** Numeric metadata variables. */
  num_vars: Record<string, number>;
  /** Text metadata variables. */
  text_vars: Record<string, string>;
  registered_at: string;
  /** How many content warnings the rig reported (0 for a clean session; absent in rows written before warnings existed). */
  warning_count?: number;
  /** The warnings themselves, as the manifest carries them (docs/data-format.md). */
  warnings?: { code: string; file?: string; field?: string; message: string }[];
  /** The session revision this row describes (1 = the first commit; absent in rows written before revisions were recorded). */
  revision?: number;
}

/** catalog/files/dt=YYYY-MM-DD/<rig>__<session>__<pipeline>__<version>.json, one line per output. */
export interface ProcessedFileRow {
  session_id: string;
  pipeline: string;
  pipeline_version: string;
  /** Key in the lake bucket. */
  key: string;
  file: string;
  bytes: number;
  sha256: string;
  created_at: string;
}

/**
 * `done_with_gaps`: the run finished, but some data files of the session were not decoded at all
 * (`undecoded` names them): it is not reported as done anywhere (status, verify, the web view).
 */
export type LedgerState = 'pending' | 'running' | 'done' | 'done_with_gaps' | 'failed' | 'dead' | 'incomplete';

/** catalog/ledger/<pipeline>/<version>/<rig>__<session>.json (one JSON object, rewritten with If-Match). */
export interface LedgerEntry {
  session_id: string;
  pipeline: string;
  pipeline_version: string;
  state: LedgerState;
  attempts: number;
  last_error?: string;
  last_error_stack?: string;
  /** Lease holder and expiry while running. */
  lease_owner?: string;
  lease_expires_at?: string;
  started_at?: string;
  finished_at?: string;
  updated_at: string;
  code_version: string;
  manifest_sha256?: string;
  output_count?: number;
  /** The compute path of the last attempt (core/process/route.ts): absent for entries written before routing. */
  compute_path?: 'function' | 'container';
  /** Input bytes a done run left out and why (a last frame cut short): absent when none. */
  dropped?: { file: string; bytes: number; reason: string }[];
  /**
   * The integrity flag: listed files whose stored bytes hash to another SHA-256 than the manifest
   * says, found by processing before anything of the session was registered (state `incomplete`).
   * Absent when none. Cleared by the next attempt.
   */
  integrity?: { file: string; key: string; manifest_sha256: string; stored_sha256: string }[];
  /** Data files a finished run did not decode at all (state `done_with_gaps`): absent when none. */
  undecoded?: string[];
}
