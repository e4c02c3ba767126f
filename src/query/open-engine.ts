/** Opens the query engine for the profile: DuckDB over the local mirror, or Athena on AWS. */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { resolveEndpoints } from '../composition.js';
import { openStorage } from '../composition/storage.js';
import type { KnownFields, Param, Dialect, TableNames } from '../core/query/compile.js';

export interface QueryEngine {
  dialect: Dialect;
  tables: TableNames;
  /** The schema the catalog's tables are in (`information_schema.columns.table_schema`). */
  schemaName: string;
  knownFields(): Promise<KnownFields>;
  query(sql: string, params?: Param[]): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openEngine(config: Config, engine: 'duckdb' | 'athena' | undefined): Promise<QueryEngine> {
  const which = engine ?? (config.profile === 'aws' ? 'athena' : 'duckdb');
  if (which === 'athena') {
    const { AthenaEngine } = await import('../adapters/athena/athena-engine.js');
    return AthenaEngine.create(config);
  }
  const storage = openStorage(resolveEndpoints(config));
  try {
    const { CatalogMirror } = await import('../adapters/duckdb/catalog-mirror.js');
    const { DuckDbEngine } = await import('../adapters/duckdb/duckdb-engine.js');
    const mirror = new CatalogMirror(storage.lake, join(config.home, 'cache', 'catalog', config.profile));
    const db = await DuckDbEngine.open(mirror);
    return {
      dialect: 'duckdb',
      tables: { sessions: 'sessions', files: 'processed_files' },
      schemaName: 'main',
      knownFields: () => db.knownFields(),
      query: (sql, params) => db.query(sql, params),
      close: () => db.close(),
    };
  } finally {
    storage.close();
  }
}
