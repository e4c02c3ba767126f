/**
 * The catalog's shape, asked the same way on both engines: `recpipe query --schema` and
 * `--sql "DESCRIBE <table>"` read `information_schema.columns` (DuckDB and Athena both have it;
 * Athena's own DESCRIBE answers in free text, not rows). Pure.
 */
import { RecpipeError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Param } from './compile.js';

/** The tables recpipe writes (docs/catalog-schema.md). */
export const CATALOG_TABLES = ['sessions', 'processed_files', 'ledger', 'snapshots'] as const;

/** `DESCRIBE t`, `DESC t` or `SHOW COLUMNS FROM t` as the table named; `SHOW TABLES` as all; undefined for anything else. */
export function parseDescribe(sql: string): { table?: string } | undefined {
  const s = sql.trim().replace(/;\s*$/, '');
  if (/^show\s+tables$/i.test(s)) return {};
  const m = /^(?:describe|desc|show\s+columns\s+(?:from|in))\s+(?:"?[a-z0-9_]+"?\.)?"?([A-Za-z0-9_]+)"?$/i.exec(s);
  if (!m) return undefined;
  const table = m[1].toLowerCase();
  if (!(CATALOG_TABLES as readonly string[]).includes(table)) {
    const guess = didYouMean(table, CATALOG_TABLES);
    throw new RecpipeError('usage', `no table "${m[1]}"${guess ? `; ${guess}` : ''}`, { hint: `the tables are ${CATALOG_TABLES.join(', ')}` });
  }
  return { table };
}

/** The columns of the catalog's tables (or one of them), in their order, with their types. */
export function schemaSql(schemaName: string, table?: string): { sql: string; params: Param[] } {
  const tables = table ? [table] : [...CATALOG_TABLES];
  return {
    sql:
      `SELECT table_name, column_name, data_type FROM information_schema.columns\n` +
      `WHERE table_schema = ? AND table_name IN (${tables.map(() => '?').join(', ')})\n` +
      `ORDER BY table_name, ordinal_position`,
    params: [schemaName, ...tables],
  };
}
