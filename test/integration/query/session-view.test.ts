import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { CatalogMirror } from '../../../src/adapters/duckdb/catalog-mirror.js';
import { DuckDbEngine } from '../../../src/adapters/duckdb/duckdb-engine.js';
import type { QueryEngine } from '../../../src/features/query/open-engine.js';
import { readLedger, readSessions } from '../../../src/features/query/session-view.js';
import { ledgerKey } from '../../../src/core/layout.js';
import { writeCatalog } from '../../helpers/catalog-fixture.js';

describe('session rows and ledger by id (recpipe ui)', () => {
  let db: DuckDbEngine;
  let engine: QueryEngine;
  let dir: string;
  beforeAll(async () => {
    const lake = new MemoryObjectStore('lake');
    await writeCatalog(lake);
    await lake.put(
      ledgerKey({ rig: 'rig-a', session: '20210203_090000' }, 'default', '1'),
      JSON.stringify({
        session_id: 'rig-a/20210203_090000',
        pipeline: 'default',
        pipeline_version: '1',
        state: 'failed',
        attempts: 2,
        last_error: 'boom',
        updated_at: '2021-03-02T00:00:00Z',
        code_version: '0.1.0',
      }),
    );
    dir = mkdtempSync(join(tmpdir(), 'rp-view-'));
    db = await DuckDbEngine.open(new CatalogMirror(lake, dir));
    engine = {
      dialect: 'duckdb',
      tables: { sessions: 'sessions', files: 'processed_files' },
      schemaName: 'main',
      knownFields: () => db.knownFields(),
      query: (sql, params) => db.query(sql, params),
      close: () => db.close(),
    };
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the asked sessions with numeric and text variables merged, typed', async () => {
    const rows = await readSessions(engine, ['rig-b/20210210_120000', 'rig-a/20210201_090000']);
    expect(rows.map((r) => r.session_id)).toEqual(['rig-a/20210201_090000', 'rig-b/20210210_120000']);
    expect(rows[0].variables).toEqual({ fatigue: 1, temperature_c: 20.5, hardware_model: 'NX-100', notes: 'clean run' });
    expect(rows[0]).toMatchObject({ rig: 'rig-a', file_count: 3, total_bytes: 3000, recorded_at: '2021-02-01 09:00:00' });
    expect(await readSessions(engine)).toHaveLength(4);
    expect(await readSessions(engine, [])).toEqual([]);
  });

  it('binds ids as values: an id that is SQL matches nothing', async () => {
    expect(await readSessions(engine, ["x') OR ('1'='1"])).toEqual([]);
    expect(await readLedger(engine, "x' OR '1'='1")).toEqual([]);
  });

  it('reads the ledger entries of one session', async () => {
    expect(await readLedger(engine, 'rig-a/20210203_090000')).toEqual([
      {
        pipeline: 'default',
        pipeline_version: '1',
        state: 'failed',
        attempts: 2,
        started_at: null,
        finished_at: null,
        updated_at: '2021-03-02T00:00:00Z',
        last_error: 'boom',
        code_version: '0.1.0',
        output_count: null,
      },
    ]);
    expect(await readLedger(engine, 'rig-a/20210201_090000')).toEqual([]);
  });
});
