/**
 * `recpipe query`: a filter (or read-only SQL) in, the matching sessions' preprocessed files out,
 * as flat records with the session variables as columns (core/query/records.ts): the CLI's
 * renderers and the web UI show the same columns. An empty answer comes with why
 * (explain-empty.ts).
 */
import type { Config } from '../../config/schema.js';
import type { ProcessedFileRow } from '../../core/catalog/types.js';
import { compileQuery, type KnownFields } from '../../core/query/compile.js';
import { parseDescribe, schemaSql } from '../../core/query/describe.js';
import { fieldCountsSql, knownFieldsOf, toFieldInfo, type FieldInfo } from '../../core/query/fields.js';
import { parseTerm } from '../../core/query/filter.js';
import { assertReadOnlySql } from '../../core/query/read-only.js';
import { flatRecords, type FlatRecord } from '../../core/query/records.js';
import { whyEmpty } from './explain-empty.js';
import type { EngineName, OpenEngine, QueryEngine } from './open-engine.js';

export interface QueryOptions {
  filters: string[];
  from?: string;
  to?: string;
  pipelineVersion?: string;
  sql?: string;
  engine?: EngineName;
  /** Session variables to show as columns; all known ones when absent. */
  columns?: string[];
  /** `=` and `!=` on text ignore case. */
  ignoreCase?: boolean;
}

/** A matching output: its index row (without the creation time) and its session's identity. */
export interface FileRow extends Omit<ProcessedFileRow, 'created_at'> {
  rig: string;
  session: string;
  recorded_at: string;
  /** Content warnings the session was archived with (docs/data-format.md). */
  warning_count: number;
  /** The session revision the catalog serves (null in rows written before revisions were recorded). */
  revision: number | null;
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
  /** The variable columns, by their column names (filter queries). */
  variables: string[];
  /** Why nothing matched, one line per reason (filter queries with no files). */
  empty?: string[];
}

/** The variables the catalog knows, each under its one type. */
async function knownFields(engine: QueryEngine): Promise<KnownFields> {
  return knownFieldsOf(toFieldInfo(await engine.query(fieldCountsSql(engine.dialect, engine.tables))));
}

/** Runs the filter (or SQL) on an engine `openEngine` opens, and closes it. */
export async function runQuery(openEngine: OpenEngine, config: Config, o: QueryOptions): Promise<QueryResult> {
  const terms = o.filters.map(parseTerm);
  const describe = o.sql !== undefined ? parseDescribe(o.sql) : undefined;
  const sql = o.sql !== undefined && !describe ? assertReadOnlySql(o.sql) : undefined;
  const engine = await openEngine(o.engine);
  try {
    if (describe) {
      const s = schemaSql(engine.schemaName, describe.table);
      const rows = await engine.query(s.sql, s.params);
      return sqlResult(engine.dialect, o.sql!, rows);
    }
    if (sql !== undefined) return sqlResult(engine.dialect, sql, await engine.query(sql));
    const fields = await knownFields(engine);
    const spec = {
      terms,
      from: o.from,
      to: o.to,
      pipeline: config.pipeline,
      pipelineVersion: o.pipelineVersion ?? config.pipelineVersion,
      columns: o.columns,
      ignoreCase: o.ignoreCase,
    };
    const compiled = compileQuery(spec, fields, engine.dialect, engine.tables);
    const { columns, records } = flatRecords(await engine.query(compiled.sql, compiled.params), compiled.variables);
    const files = records as (FileRow & FlatRecord)[];
    return {
      engine: engine.dialect,
      columns,
      rows: records,
      files,
      totals: { sessions: new Set(files.map((f) => f.session_id)).size, files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) },
      variables: columns.slice(columns.length - compiled.variables.length),
      ...(files.length === 0 ? { empty: await whyEmpty(engine, spec, fields) } : {}),
    };
  } finally {
    engine.close();
  }
}

function sqlResult(engine: string, sql: string, rows: Record<string, unknown>[]): QueryResult {
  return { engine, sql, columns: Object.keys(rows[0] ?? {}), rows, files: [], totals: { sessions: 0, files: 0, bytes: 0 }, variables: [] };
}

/** The session variables the catalog knows, each once, with its type and the number of sessions defining it. */
export async function listFields(openEngine: OpenEngine, engineName?: EngineName): Promise<FieldInfo[]> {
  const engine = await openEngine(engineName);
  try {
    return toFieldInfo(await engine.query(fieldCountsSql(engine.dialect, engine.tables)));
  } finally {
    engine.close();
  }
}

/** Every column of the catalog's tables, with its type (`recpipe query --schema`). */
export async function describeCatalog(openEngine: OpenEngine, engineName?: EngineName): Promise<Record<string, unknown>[]> {
  const engine = await openEngine(engineName);
  try {
    const s = schemaSql(engine.schemaName);
    return await engine.query(s.sql, s.params);
  } finally {
    engine.close();
  }
}
