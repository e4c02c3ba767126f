/**
 * `recpipe query`: a filter (or read-only SQL) in, the matching sessions' preprocessed files out,
 * as flat records with the session variables as columns (core/query/records.ts): the CLI's
 * renderers and the web UI show the same columns.
 */
import type { Config } from '../config/schema.js';
import type { ProcessedFileRow } from '../core/catalog/types.js';
import { compileQuery } from '../core/query/compile.js';
import { fieldCountsSql, toFieldInfo, type FieldInfo } from '../core/query/fields.js';
import { parseTerm } from '../core/query/filter.js';
import { assertReadOnlySql } from '../core/query/read-only.js';
import { flatRecords, type FlatRecord } from '../core/query/records.js';
import { openEngine } from './open-engine.js';

export interface QueryOptions {
  filters: string[];
  from?: string;
  to?: string;
  pipelineVersion?: string;
  sql?: string;
  engine?: 'duckdb' | 'athena';
  /** Session variables to show as columns; all known ones when absent. */
  columns?: string[];
}

/** A matching output: its index row (without the creation time) and its session's identity. */
export interface FileRow extends Omit<ProcessedFileRow, 'created_at'> {
  rig: string;
  session: string;
  recorded_at: string;
  /** Content warnings the session was archived with (docs/data-format.md). */
  warning_count: number;
}

export interface QueryResult {
  engine: string;
  sql?: string;
  /** Column names of `rows`, in order: fixed file fields, then one per session variable. */
  columns: string[];
  /** One flat record per file (per result row for --sql). */
  rows: Record<string, unknown>[];
  files: (FileRow & FlatRecord)[];
  totals: { sessions: number; files: number; bytes: number };
}

export async function runQuery(config: Config, o: QueryOptions): Promise<QueryResult> {
  const terms = o.filters.map(parseTerm);
  const sql = o.sql !== undefined ? assertReadOnlySql(o.sql) : undefined;
  const engine = await openEngine(config, o.engine);
  try {
    if (sql !== undefined) {
      const rows = await engine.query(sql);
      return { engine: engine.dialect, sql, columns: Object.keys(rows[0] ?? {}), rows, files: [], totals: { sessions: 0, files: 0, bytes: 0 } };
    }
    const compiled = compileQuery(
      { terms, from: o.from, to: o.to, pipeline: config.pipeline, pipelineVersion: o.pipelineVersion ?? config.pipelineVersion, columns: o.columns },
      await engine.knownFields(),
      engine.dialect,
      engine.tables,
    );
    const { columns, records } = flatRecords(await engine.query(compiled.sql, compiled.params), compiled.variables);
    const files = records as (FileRow & FlatRecord)[];
    return {
      engine: engine.dialect,
      columns,
      rows: records,
      files,
      totals: { sessions: new Set(files.map((f) => f.session_id)).size, files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) },
    };
  } finally {
    engine.close();
  }
}

/** The session variables the catalog knows, with type and the number of sessions defining each. */
export async function listFields(config: Config, engineName?: 'duckdb' | 'athena'): Promise<FieldInfo[]> {
  const engine = await openEngine(config, engineName);
  try {
    return toFieldInfo(await engine.query(fieldCountsSql(engine.dialect, engine.tables)));
  } finally {
    engine.close();
  }
}
