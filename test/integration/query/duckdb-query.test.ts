import { readdirSync } from 'node:fs';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { CatalogMirror } from '../../../src/adapters/duckdb/catalog-mirror.js';
import { DuckDbEngine } from '../../../src/adapters/duckdb/duckdb-engine.js';
import { compileQuery } from '../../../src/core/query/compile.js';
import { parseTerm } from '../../../src/core/query/filter.js';
import { writeCatalog } from '../../helpers/catalog-fixture.js';
import { tempDir } from '../../helpers/tmp.js';

const tables = { sessions: 'sessions', files: 'processed_files' };

async function sessionsFor(engine: DuckDbEngine, filters: string[], extra = {}) {
  const c = compileQuery({ terms: filters.map(parseTerm), pipeline: 'default', pipelineVersion: '1', ...extra }, await engine.knownFields(), 'duckdb', tables);
  const rows = await engine.query(c.sql, c.params);
  return [...new Set(rows.map((r) => r.session_id))];
}

describe('DuckDB engine over the catalog mirror', () => {
  let lake: MemoryObjectStore;
  let engine: DuckDbEngine;
  let dir: string;
  beforeAll(async () => {
    lake = new MemoryObjectStore('lake');
    await writeCatalog(lake);
    dir = tempDir('rp-mirror-');
    engine = await DuckDbEngine.open(new CatalogMirror(lake, dir));
  });
  afterAll(() => engine.close());

  it.each([
    [['fatigue>=3'], ['rig-a/20210203_090000', 'rig-b/20210210_120000', 'rig-b/20210301_080000']],
    [
      ['fatigue>=3', 'hardware_model=NX-200'],
      ['rig-a/20210203_090000', 'rig-b/20210210_120000'],
    ],
    [['notes~drift'], ['rig-a/20210203_090000']],
    [['temperature_c<21'], ['rig-a/20210201_090000']],
    [['hardware_model!=NX-200'], ['rig-a/20210201_090000', 'rig-b/20210301_080000']],
    [['rig=rig-b', 'fatigue=4'], ['rig-b/20210210_120000']],
    [['notes~100%'], ['rig-b/20210301_080000']],
    [['notes~e_o'], ['rig-b/20210301_080000']],
    [['notes~n_r'], []],
  ])('%j finds exactly the expected sessions', async (filters, expected) => {
    expect(await sessionsFor(engine, filters)).toEqual(expected);
  });

  it('filters by date range on the partition', async () => {
    expect(await sessionsFor(engine, [], { from: '2021-02-02', to: '2021-02-28' })).toEqual(['rig-a/20210203_090000', 'rig-b/20210210_120000']);
  });

  it('treats injection attempts as plain values', async () => {
    expect(await sessionsFor(engine, ["hardware_model=x' OR '1'='1"])).toEqual([]);
    expect(await sessionsFor(engine, ["notes=x' OR '1'='1"])).toEqual(['rig-b/20210210_120000']);
    expect(await sessionsFor(engine, ["hardware_model='; DROP TABLE sessions; --"])).toEqual([]);
    expect((await engine.query('SELECT count(*) AS n FROM sessions'))[0].n).toBe(4);
  });

  it('cannot write or read files from user SQL', async () => {
    await expect(engine.query('DROP TABLE sessions')).rejects.toThrow(/query failed/);
    await expect(engine.query("COPY sessions TO '/tmp/rp-leak.csv'")).rejects.toThrow(/query failed/);
    await expect(engine.query("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/query failed/);
  });

  it('syncs incrementally: only new or changed objects are downloaded, compacted into one file per table', async () => {
    const mirror = new CatalogMirror(lake, dir);
    const again = await mirror.sync();
    expect(again).toMatchObject({ changed: false, downloaded: 0 });
    await lake.put(
      'catalog/sessions/dt=2021-03-05/rig-c__20210305_100000.json',
      JSON.stringify({ session_id: 'rig-c/20210305_100000', recorded_at: '2021-03-05 10:00:00', num_vars: { fatigue: 2 }, text_vars: {} }) + '\n',
    );
    const next = await mirror.sync();
    expect(next).toMatchObject({ changed: true, downloaded: 1, removed: 0 });
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.ndjson'))
        .sort(),
    ).toEqual(['ledger.ndjson', 'processed_files.ndjson', 'sessions.ndjson', 'snapshots.ndjson']);
  });
});
