/** The DuckDB catalog mirror: a damaged index is downloaded again, a damaged ledger entry is left out of the ledger table, each handed on naming file or key and field. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { CatalogMirror } from '../../../src/adapters/duckdb/catalog-mirror.js';
import type { RecpipeError } from '../../../src/core/errors.js';
import { ledgerKey } from '../../../src/core/layout.js';
import { tempDir } from '../../helpers/tmp.js';

const entry = (session: string) => ({
  session_id: `rig-a/${session}`,
  pipeline: 'default',
  pipeline_version: '1',
  state: 'done',
  attempts: 1,
  updated_at: '2021-03-02T00:00:00Z',
  code_version: '0.1.0',
});

describe('the catalog mirror', () => {
  it('leaves a damaged ledger entry out of the ledger table and names it; the others are queried', async () => {
    const lake = new MemoryObjectStore('lake');
    const bad = ledgerKey({ rig: 'rig-a', session: '20210203_090000' }, 'default', '1');
    await lake.put(ledgerKey({ rig: 'rig-a', session: '20210202_090000' }, 'default', '1'), JSON.stringify(entry('20210202_090000'), null, 2));
    await lake.put(bad, JSON.stringify({ ...entry('20210203_090000'), attempts: 'one' }));
    const seen: RecpipeError[] = [];
    const mirror = new CatalogMirror(lake, tempDir('rp-mirror-'), (e) => seen.push(e));
    await mirror.sync();
    const lines = readFileSync(mirror.compactPath('ledger'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { session_id: string }).session_id)).toEqual(['rig-a/20210202_090000']);
    expect(seen.map((e) => e.message)).toEqual([`ledger entry ${bad} cannot be read: attempts must be a whole number (got "one")`]);
  });

  it('downloads everything again when its index is damaged, and names the file', async () => {
    const lake = new MemoryObjectStore('lake');
    await lake.put(ledgerKey({ rig: 'rig-a', session: '20210202_090000' }, 'default', '1'), JSON.stringify(entry('20210202_090000')));
    const dir = tempDir('rp-mirror-');
    const seen: RecpipeError[] = [];
    const mirror = new CatalogMirror(lake, dir, (e) => seen.push(e));
    expect(await mirror.sync()).toMatchObject({ downloaded: 1 });
    writeFileSync(join(dir, 'index.json'), '{"objects": {"catalog/ledger/x.json": 7}}');
    expect(await mirror.sync()).toMatchObject({ changed: true, downloaded: 1 });
    expect(seen.map((e) => e.message)).toEqual([
      `catalog mirror index ${join(dir, 'index.json')} cannot be read: objects.catalog/ledger/x.json must be a string (got 7)`,
    ]);
  });
});
