/**
 * The query engine port: DuckDB over the local mirror, or Athena on AWS. The profile's services
 * open it (src/composition/query-engine.ts); the code that queries takes an `OpenEngine`.
 */
import type { KnownFields, Param, Dialect, TableNames } from '../../core/query/compile.js';

export interface QueryEngine {
  dialect: Dialect;
  tables: TableNames;
  /** The schema the catalog's tables are in (`information_schema.columns.table_schema`). */
  schemaName: string;
  knownFields(): Promise<KnownFields>;
  query(sql: string, params?: Param[]): Promise<Record<string, unknown>[]>;
  close(): void;
}

/** The engines a profile can query with (`recpipe query --engine`). */
export type EngineName = 'duckdb' | 'athena';

/** Opens an engine (the profile's own when `which` is absent); the caller closes it. */
export type OpenEngine = (which?: EngineName) => Promise<QueryEngine>;
