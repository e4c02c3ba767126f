/**
 * DuckDB and Athena derive a session's `dt` by one rule: the date in the session's name, which
 * is also the `dt=` folder of its catalog key (what Athena reads). recorded_at plays no part.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { catalogSessionKey, SESSION_DT_SQL } from '../../../src/core/layout.js';

describe('the dt rule', () => {
  it('gives DuckDB the dt= of the catalog key, whatever recorded_at says', async () => {
    // Prepare: sessions whose recorded_at disagrees with their name (the manifest is the rig's word)
    const rows = [
      { session: '20210228_235959', recordedAt: '2021-03-01T00:00:00' },
      { session: '20240229_120000', recordedAt: '1999-01-01T00:00:00' },
      { session: '29991231_000000', recordedAt: '2999-12-31T00:00:00' },
    ];
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      // Act
      const values = rows.map((r) => `('${r.session}', '${r.recordedAt}')`).join(', ');
      const got = (await c.runAndReadAll(`SELECT ${SESSION_DT_SQL} AS dt FROM (VALUES ${values}) t(session, recorded_at)`)).getRows().map((r) => String(r[0]));
      // Assess
      const fromKeys = rows.map((r) => /\/dt=([0-9-]+)\//.exec(catalogSessionKey({ rig: 'rig-a', session: r.session }))![1]);
      expect(got).toEqual(fromKeys);
      expect(got).toEqual(['2021-02-28', '2024-02-29', '2999-12-31']);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
