/**
 * The SQL examples in docs/catalog-schema.md run on DuckDB as written (through the same
 * read-only check `--sql` applies), and return the row counts the doc states.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { CatalogMirror } from '../../../src/adapters/duckdb/catalog-mirror.js';
import { DuckDbEngine } from '../../../src/adapters/duckdb/duckdb-engine.js';
import { assertReadOnlySql } from '../../../src/core/query/read-only.js';
import { writeCatalog } from '../../helpers/catalog-fixture.js';

const DOC = fileURLToPath(new URL('../../../docs/catalog-schema.md', import.meta.url));

/** Each ```sql block: its statement and the expected row count from its `-- expect: N rows` line. */
function docExamples(markdown: string): { sql: string; rows: number }[] {
  return [...markdown.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => {
    const expect = /--\s*expect:\s*(\d+)\s*rows/.exec(m[1]);
    return { sql: m[1].replace(/--\s*expect:[^\n]*/g, '').trim(), rows: expect ? Number(expect[1]) : -1 };
  });
}

describe('docs/catalog-schema.md examples', () => {
  const examples = docExamples(readFileSync(DOC, 'utf8'));
  let engine: DuckDbEngine;
  let dir: string;
  beforeAll(async () => {
    const lake = new MemoryObjectStore('lake');
    await writeCatalog(lake);
    dir = mkdtempSync(join(tmpdir(), 'rp-docsql-'));
    engine = await DuckDbEngine.open(new CatalogMirror(lake, dir));
  });
  afterAll(() => {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has examples, each with an expected row count', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const e of examples) expect(e.rows).toBeGreaterThanOrEqual(0);
  });

  it.each(docExamples(readFileSync(DOC, 'utf8')).map((e) => [e.sql.split('\n')[0], e] as const))('%s', async (_title, e) => {
    const rows = await engine.query(assertReadOnlySql(e.sql));
    expect(rows).toHaveLength(e.rows);
  });

  it("element_at on a variable gives the value or NULL, as Athena's does", async () => {
    const rows = await engine.query("SELECT session_id, element_at(num_vars, 'temperature_c') AS t FROM sessions ORDER BY session_id");
    expect(rows.map((r) => r.t)).toEqual([20.5, 22, null, 25]);
  });
});
