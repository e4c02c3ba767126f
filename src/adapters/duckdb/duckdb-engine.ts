/**
 * The embedded query engine: DuckDB over the compacted catalog mirror. Tables are loaded into a
 * DuckDB file once per catalog change, so warm queries read native tables. Parameters are
 * always bound; user SQL runs on a read-only connection with external access off.
 */
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnownFields, Param } from '../../core/query/compile.js';
import { RecpipeError } from '../../core/errors.js';
import { SESSION_DT_SQL } from '../../core/layout.js';
import type { CatalogMirror, SyncResult } from './catalog-mirror.js';

const V = 'VARCHAR';
const COLUMNS: Record<'sessions' | 'processed_files' | 'ledger' | 'snapshots', [string, string][]> = {
  sessions: [
    ['session_id', V],
    ['rig', V],
    ['session', V],
    ['recorded_at', V],
    ['uploaded_at', V],
    ['file_count', 'BIGINT'],
    ['total_bytes', 'BIGINT'],
    ['raw_prefix', V],
    ['manifest_sha256', V],
    ['metadata_file', V],
    ['num_vars', 'MAP(VARCHAR, DOUBLE)'],
    ['text_vars', 'MAP(VARCHAR, VARCHAR)'],
    ['registered_at', V],
    ['warning_count', 'BIGINT'],
    ['warnings', 'STRUCT(code VARCHAR, file VARCHAR, field VARCHAR, message VARCHAR)[]'],
    ['revision', 'BIGINT'],
  ],
  processed_files: [
    ['session_id', V],
    ['pipeline', V],
    ['pipeline_version', V],
    ['key', V],
    ['file', V],
    ['bytes', 'BIGINT'],
    ['sha256', V],
    ['created_at', V],
  ],
  ledger: [
    ['session_id', V],
    ['pipeline', V],
    ['pipeline_version', V],
    ['state', V],
    ['attempts', 'BIGINT'],
    ['last_error', V],
    ['started_at', V],
    ['finished_at', V],
    ['updated_at', V],
    ['code_version', V],
    ['output_count', 'BIGINT'],
    ['compute_path', V],
  ],
  snapshots: [
    ['snapshot', V],
    ['created_at', V],
    ['query', V],
    ['session_id', V],
    ['revision', 'BIGINT'],
    ['pipeline', V],
    ['pipeline_version', V],
    ['key', V],
    ['file', V],
    ['bytes', 'BIGINT'],
    ['sha256', V],
    ['num_vars', 'MAP(VARCHAR, DOUBLE)'],
    ['text_vars', 'MAP(VARCHAR, VARCHAR)'],
  ],
};
/** Integer and decimal types DuckDB's JSON form gives as strings (to keep 64-bit precision). */
const NUMERIC_AS_TEXT = new Set<number>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL]);

/**
 * Rows with numbers as numbers: a top-level BIGINT or DECIMAL column becomes a JSON number when it
 * fits a double exactly (every count and size here does), so JSON and CSV output load typed.
 */
function typedRows(reader: DuckDBResultReader): Record<string, unknown>[] {
  const names = reader.columnNames();
  const numeric = reader.columnTypes().map((t) => NUMERIC_AS_TEXT.has(t.typeId));
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((row) => {
    names.forEach((n, i) => {
      const v = row[n];
      if (!numeric[i] || typeof v !== 'string') return;
      const x = Number(v);
      if (Number.isSafeInteger(x) || (Number.isFinite(x) && !Number.isInteger(x))) row[n] = x;
    });
    return row;
  });
}
/**
 * Athena's `element_at(map, key)` returns the value, or NULL when the key is absent (Trino map
 * functions); DuckDB's returns a list. This macro, stored in the catalog database, gives DuckDB
 * Athena's meaning, so `--sql` filters on variables run the same on both engines
 * (docs/catalog-schema.md). The catalog has no list columns that element_at would be used on.
 */
const ELEMENT_AT_MACRO = 'CREATE MACRO element_at(m, k) AS map_extract_value(m, k)';
/** Bumped when the tables or macros change, so a cached catalog database is rebuilt. */
const LAYOUT = 'layout-3';
const jsonColumns = (cols: [string, string][]) => `{${cols.map(([n, t]) => `${n}: '${t}'`).join(', ')}}`;
const ddl = (cols: [string, string][]) => cols.map(([n, t]) => `"${n}" ${t}`).join(', ');

export class DuckDbEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Syncs the mirror, rebuilds the database when the catalog changed, opens it read-only. */
  static async open(mirror: CatalogMirror, sync = true): Promise<DuckDbEngine & { sync?: SyncResult }> {
    const dbPath = join(mirror.dir, 'catalog.duckdb');
    const stampPath = join(mirror.dir, 'catalog.duckdb.digest');
    const result = sync ? await mirror.sync() : undefined;
    const [layout, digest = ''] = (existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : '').split('\n');
    if (!existsSync(dbPath) || layout !== LAYOUT || (result && result.digest !== digest)) {
      rmSync(dbPath, { force: true });
      rmSync(`${dbPath}.wal`, { force: true });
      const w = await DuckDBInstance.create(dbPath);
      const c = await w.connect();
      for (const [table, columns] of Object.entries(COLUMNS)) {
        const path = mirror.compactPath(table as keyof typeof COLUMNS);
        if (existsSync(path) && readFileSync(path).length > 0) {
          await c.run(
            `CREATE TABLE ${table} AS SELECT * FROM read_json('${path.replace(/'/g, "''")}', format='newline_delimited', columns=${jsonColumns(columns)})`,
          );
        } else await c.run(`CREATE TABLE ${table} (${ddl(columns)})`);
      }
      await c.run(`ALTER TABLE sessions ADD COLUMN dt VARCHAR`);
      await c.run(`UPDATE sessions SET dt = ${SESSION_DT_SQL}`);
      await c.run(ELEMENT_AT_MACRO);
      c.closeSync();
      w.closeSync();
      writeFileSync(stampPath, `${LAYOUT}\n${result?.digest ?? digest}`);
    }
    const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    await conn.run(`SET enable_external_access = false`);
    await conn.run(`SET lock_configuration = true`);
    return Object.assign(new DuckDbEngine(instance, conn), { sync: result });
  }

  async knownFields(): Promise<KnownFields> {
    const numeric = await this.conn.runAndReadAll(`SELECT DISTINCT unnest(map_keys(num_vars)) AS k FROM sessions ORDER BY k`);
    const text = await this.conn.runAndReadAll(`SELECT DISTINCT unnest(map_keys(text_vars)) AS k FROM sessions ORDER BY k`);
    return { numeric: numeric.getRows().map((r) => String(r[0])), text: text.getRows().map((r) => String(r[0])) };
  }

  async query(sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
    try {
      return typedRows(await this.conn.runAndReadAll(sql, params));
    } catch (e) {
      throw new RecpipeError('usage', `query failed: ${(e as Error).message.split('\n')[0]}`, {
        hint: 'check the SQL against docs/catalog-schema.md',
        cause: e,
      });
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
