/**
 * The query engines a profile opens: DuckDB over a local mirror of the lake's catalog (the
 * mirror under $RECPIPE_HOME/cache/catalog/<profile>), or Athena over the Glue tables. Both are
 * imported only when opened, so a command that queries nothing loads neither.
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ObjectStore } from '../core/ports.js';
import type { EngineName, QueryEngine } from '../features/query/open-engine.js';

/** Opens `which`; DuckDB first brings the mirror of `lake`'s catalog up to date. */
export async function openQueryEngine(config: Config, which: EngineName, lake: () => Promise<ObjectStore>): Promise<QueryEngine> {
  if (which === 'athena') {
    const { AthenaEngine } = await import('../adapters/athena/athena-engine.js');
    return AthenaEngine.create(config);
  }
  const store = await lake();
  const { CatalogMirror } = await import('../adapters/duckdb/catalog-mirror.js');
  const { DuckDbEngine } = await import('../adapters/duckdb/duckdb-engine.js');
  const db = await DuckDbEngine.open(new CatalogMirror(store, join(config.home, 'cache', 'catalog', config.profile)));
  return {
    dialect: 'duckdb',
    tables: { sessions: 'sessions', files: 'processed_files' },
    schemaName: 'main',
    knownFields: () => db.knownFields(),
    query: (sql, params) => db.query(sql, params),
    close: () => db.close(),
  };
}
