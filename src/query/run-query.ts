/**
 * `recpipe query`: a filter (or read-only SQL) in, the matching sessions' preprocessed files out.
 */
import type { Config } from '../config/schema.js';
import type { ProcessedFileRow } from '../core/catalog/types.js';
import { compileQuery } from '../core/query/compile.js';
import { parseTerm } from '../core/query/filter.js';
import { assertReadOnlySql } from '../core/query/read-only.js';
import { openEngine } from './open-engine.js';

export interface QueryOptions {
  filters: string[];
  from?: string;
  to?: string;
  pipelineVersion?: string;
  sql?: string;
  engine?: 'duckdb' | 'athena';
}

/** A matching output: its index row (without the creation time) and its session's identity. */
export interface FileRow extends Omit<ProcessedFileRow, 'created_at'> {
  rig: string;
  session: string;
  recorded_at: string;
}

export interface QueryResult {
  engine: string;
  sql?: string;
  rows: Record<string, unknown>[];
  files: FileRow[];
  totals: { sessions: number; files: number; bytes: number };
}

export async function runQuery(config: Config, o: QueryOptions): Promise<QueryResult> {
  const terms = o.filters.map(parseTerm);
  const sql = o.sql !== undefined ? assertReadOnlySql(o.sql) : undefined;
  const engine = await openEngine(config, o.engine);
  try {
    if (sql !== undefined) {
      const rows = await engine.query(sql);
      return { engine: engine.dialect, sql, rows, files: [], totals: { sessions: 0, files: 0, bytes: 0 } };
    }
    const compiled = compileQuery({ terms, from: o.from, to: o.to, pipeline: config.pipeline, pipelineVersion: o.pipelineVersion ?? config.pipelineVersion }, await engine.knownFields(), engine.dialect, engine.tables);
    const files = (await engine.query(compiled.sql, compiled.params)).map((r) => ({ ...r, bytes: Number(r.bytes) }) as FileRow);
    return {
      engine: engine.dialect,
      rows: files as unknown as Record<string, unknown>[],
      files,
      totals: { sessions: new Set(files.map((f) => f.session_id)).size, files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) },
    };
  } finally {
    engine.close();
  }
}
