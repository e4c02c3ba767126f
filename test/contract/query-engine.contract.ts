/**
 * The QueryEngine contract (src/features/query/open-engine.ts): one compiled plan per filter, run by
 * whichever engine the profile has. What each adapter can show here differs, and the suite says so:
 * - DuckDB (query-engine-duckdb.test.ts) runs every case for real over the fixture catalog and
 *   must find exactly the expected sessions.
 * - Athena (query-engine-athena.test.ts) cannot run offline. Checked instead: the Athena plan is
 *   the DuckDB plan that found those sessions, clause for clause, with the same parameters in
 *   the same order; it holds the Trino rules we rely on (a map value is read with element_at,
 *   which is NULL for a missing key where `map[key]` fails the query; only positional `?`
 *   parameters, one ExecutionParameter each; no DuckDB-only syntax; quoted "database"."table");
 *   and the adapter sends exactly that text with the parameters as SQL literals. Not checked:
 *   that Athena returns those rows (no Trino grammar or engine we did not write runs offline
 *   here; docs/aws-parity.md row 17 cites the Trino documentation for element_at).
 */
import { compileQuery, type Compiled, type Dialect, type KnownFields, type TableNames } from '../../src/core/query/compile.js';
import { parseTerm } from '../../src/core/query/filter.js';

/** Filters over test/helpers/catalog-fixture.ts and the sessions each must find. */
export const QUERY_CASES: [filters: string[], sessions: string[]][] = [
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
  [["notes=x' OR '1'='1"], ['rig-b/20210210_120000']],
  [['notes~n_r'], []],
];

/** The fields of the fixture catalog, as both engines report them. */
export const FIXTURE_FIELDS: KnownFields = { numeric: ['fatigue', 'temperature_c'], text: ['hardware_model', 'notes'] };

export const compile = (filters: string[], dialect: Dialect, tables: TableNames): Compiled =>
  compileQuery({ terms: filters.map(parseTerm), pipeline: 'default', pipelineVersion: '1' }, FIXTURE_FIELDS, dialect, tables);

export interface QueryEngineHarness {
  dialect: Dialect;
  tables: TableNames;
  knownFields(): Promise<KnownFields>;
  /** The session ids a plan finds, when the engine can run here. */
  run?(c: Compiled): Promise<string[]>;
  /** What the adapter sent for a plan (SQL text and parameters as it sends them), when it cannot run. */
  sent?(c: Compiled): Promise<{ sql: string; params: string[] }>;
  close(): void;
}

/** SQL text with string literals removed (the only one we write is LIKE's escape character). */
const code = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, "''");

export function describeQueryEngineContract(name: string, open: () => Promise<QueryEngineHarness>): void {
  describe(`QueryEngine contract: ${name}`, () => {
    let h: QueryEngineHarness;
    beforeAll(async () => {
      h = await open();
    });
    afterAll(() => h.close());

    it('reports the catalog fields the plans are compiled against', async () => {
      const f = await h.knownFields();
      expect({ numeric: [...f.numeric].sort(), text: [...f.text].sort() }).toEqual(FIXTURE_FIELDS);
    });

    it.each(QUERY_CASES)('%j: one plan for both dialects, a parameter for each ?, no value in the text', (filters) => {
      const mine = compile(filters, h.dialect, h.tables);
      const other = compile(filters, h.dialect === 'athena' ? 'duckdb' : 'athena', { sessions: 'sessions', files: 'processed_files' });
      expect(mine.params).toEqual(other.params);
      expect(code(mine.sql).split('?').length - 1).toBe(mine.params.length);
      for (const p of mine.params) if (typeof p === 'string' && p.length > 2) expect(code(mine.sql)).not.toContain(p);
      if (h.dialect === 'athena') {
        // Trino: map values through element_at (NULL when absent), no subscripts, casts or ILIKE.
        expect(code(mine.sql)).not.toMatch(/\[|::|\bILIKE\b|\blist_|\bstruct_/i);
        expect(
          code(mine.sql)
            .replace(/element_at\(s\.(\w+), \?\)/g, 's.$1[?]')
            .replace(h.tables.sessions, 'sessions')
            .replace(h.tables.files, 'processed_files'),
        ).toBe(code(other.sql));
        expect(h.tables.sessions).toMatch(/^"[a-z0-9_]+"\."[a-z0-9_]+"$/);
      } else {
        expect(mine.sql).not.toContain('element_at');
      }
    });

    it.each(QUERY_CASES)('%j finds exactly the expected sessions, or sends exactly the plan', async (filters, sessions) => {
      const c = compile(filters, h.dialect, h.tables);
      if (h.run) expect(await h.run(c)).toEqual(sessions);
      else {
        const sent = await h.sent!(c);
        expect(sent.sql).toBe(c.sql);
        expect(sent.params).toHaveLength(c.params.length);
        expect(sent.params).toEqual(c.params.map((p) => (typeof p === 'number' ? String(p) : `'${p.replace(/'/g, "''")}'`)));
      }
    });
  });
}
