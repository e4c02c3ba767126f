/**
 * Session rows and ledger entries by session id, for views that show sessions rather than files
 * (`recpipe ui`). The filter itself always runs through runQuery, as `recpipe query` does; this
 * only reads the matching sessions' own rows, on the same engine, with ids bound as parameters.
 */
import { textOf } from '../../core/text.js';
import type { OpenEngine, QueryEngine } from './open-engine.js';
import type { SessionRow } from '../../core/catalog/types.js';

/** A session's catalog row as the views need it: identity, sizes and its variables. */
export type SessionView = Pick<
  SessionRow,
  'session_id' | 'rig' | 'session' | 'recorded_at' | 'uploaded_at' | 'file_count' | 'total_bytes' | 'manifest_sha256'
> & {
  variables: Record<string, string | number>;
};

/** One pipeline version's processing record of a session. */
export interface LedgerView {
  pipeline: string;
  pipeline_version: string;
  state: string;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string | null;
  last_error: string | null;
  code_version: string | null;
  output_count: number | null;
}

/** Runs `fn` on the profile's engine (DuckDB over the mirror, or Athena) and closes it. */
export async function withQueryEngine<T>(openEngine: OpenEngine, fn: (engine: QueryEngine) => Promise<T>): Promise<T> {
  const engine = await openEngine();
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}

/** The catalog rows of these sessions (all sessions when `ids` is undefined), by recording time. */
export async function readSessions(engine: QueryEngine, ids?: string[]): Promise<SessionView[]> {
  if (ids && ids.length === 0) return [];
  const where = ids ? `WHERE session_id IN (${ids.map(() => '?').join(', ')})` : '';
  const sql = `SELECT session_id, rig, session, recorded_at, uploaded_at, file_count, total_bytes, manifest_sha256, num_vars, text_vars FROM ${engine.tables.sessions} ${where} ORDER BY recorded_at, session_id`;
  const rows = await engine.query(sql, ids ?? []);
  return rows.map((r) => ({
    session_id: String(r.session_id),
    rig: String(r.rig),
    session: String(r.session),
    recorded_at: String(r.recorded_at),
    uploaded_at: textOf(r.uploaded_at),
    file_count: Number(r.file_count),
    total_bytes: Number(r.total_bytes),
    manifest_sha256: textOf(r.manifest_sha256),
    variables: { ...mapOf(r.text_vars), ...mapOf(r.num_vars) },
  }));
}

/** Every ledger entry of one session (one per pipeline version it ran under). */
export async function readLedger(engine: QueryEngine, id: string): Promise<LedgerView[]> {
  const sql = `SELECT pipeline, pipeline_version, state, attempts, started_at, finished_at, updated_at, last_error, code_version, output_count FROM ${ledgerTable(engine)} WHERE session_id = ? ORDER BY pipeline, pipeline_version`;
  const rows = await engine.query(sql, [id]);
  return rows.map((r) => ({
    pipeline: String(r.pipeline),
    pipeline_version: String(r.pipeline_version),
    state: String(r.state),
    attempts: Number(r.attempts ?? 0),
    started_at: (r.started_at as string | null) ?? null,
    finished_at: (r.finished_at as string | null) ?? null,
    updated_at: (r.updated_at as string | null) ?? null,
    last_error: (r.last_error as string | null) ?? null,
    code_version: (r.code_version as string | null) ?? null,
    output_count: r.output_count === null || r.output_count === undefined ? null : Number(r.output_count),
  }));
}

/** The ledger table beside the sessions table (same database on Athena). */
function ledgerTable(engine: QueryEngine): string {
  return engine.tables.sessions.replace(/sessions("?)$/, 'ledger$1');
}

/** A MAP column as the engines return it: DuckDB as [{key, value}] or an object, Athena as an object. */
export function mapOf(v: unknown): Record<string, string | number> {
  if (!v) return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((e: { key: string; value: string | number }) => [e.key, e.value]));
  if (typeof v === 'object') return v as Record<string, string | number>;
  return {};
}
