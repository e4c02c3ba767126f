import { MemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { CatalogMirror } from '../../src/adapters/duckdb/catalog-mirror.js';
import { DuckDbEngine } from '../../src/adapters/duckdb/duckdb-engine.js';
import { writeCatalog } from '../helpers/catalog-fixture.js';
import { tempDir } from '../helpers/tmp.js';
import { describeQueryEngineContract } from './query-engine.contract.js';

describeQueryEngineContract('DuckDbEngine over the fixture catalog (runs every plan)', async () => {
  const lake = new MemoryObjectStore('lake');
  await writeCatalog(lake);
  const engine = await DuckDbEngine.open(new CatalogMirror(lake, tempDir('rp-qe-')));
  return {
    dialect: 'duckdb',
    tables: { sessions: 'sessions', files: 'processed_files' },
    knownFields: () => engine.knownFields(),
    run: async (c) => [...new Set((await engine.query(c.sql, c.params)).map((r) => String(r.session_id)))],
    close: () => engine.close(),
  };
});
