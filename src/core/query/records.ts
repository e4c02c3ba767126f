/**
 * Query results as flat records: one per output file, the file's index fields, its session's
 * identity and warning count, and one column per session variable. This is the shape every
 * output takes (table, CSV, JSON, the web UI): a researcher's `pandas.read_csv` or `read_json`
 * gets typed columns with no reshaping. Pure.
 */
import { textOf } from '../text.js';
import type { VariableColumn } from './compile.js';

/** Fixed columns of a file record, in output order. */
export const FILE_FIELDS = [
  'session_id',
  'rig',
  'session',
  'recorded_at',
  'pipeline',
  'pipeline_version',
  'key',
  'file',
  'bytes',
  'sha256',
  'warning_count',
  'revision',
] as const;

export type Cell = string | number | null;
export type FlatRecord = Record<string, Cell>;

/**
 * The column a variable is shown under: its own name, or `var_<name>` when that would hide a
 * fixed column (a variable may be called `key` or `bytes`).
 */
export function variableColumnName(name: string): string {
  return (FILE_FIELDS as readonly string[]).includes(name) ? `var_${name}` : name;
}

/**
 * A record's session variables by their own names (the inverse of `variableColumnName`), without
 * the ones the session does not define: what `recpipe pull` writes beside each file.
 */
export function recordVariables(record: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [column, v] of Object.entries(record)) {
    if ((FILE_FIELDS as readonly string[]).includes(column) || (typeof v !== 'string' && typeof v !== 'number')) continue;
    const own = column.startsWith('var_') && (FILE_FIELDS as readonly string[]).includes(column.slice(4)) ? column.slice(4) : column;
    out[own] = v;
  }
  return out;
}

const NUMERIC_FIELDS = new Set<string>(['bytes', 'warning_count', 'revision']);
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : textOf(v));

/**
 * Engine rows (variables under their positional aliases) to flat records: numbers as numbers
 * (engines may return them as strings), absent variables as null. A session that wrote a
 * variable as the other kind (`22,5` where the others wrote numbers) keeps its value as written.
 */
export function flatRecords(rows: Record<string, unknown>[], variables: VariableColumn[]): { columns: string[]; records: FlatRecord[] } {
  const columns = [...FILE_FIELDS, ...variables.map((v) => variableColumnName(v.name))];
  const records = rows.map((r) => {
    const out: FlatRecord = {};
    for (const f of FILE_FIELDS) out[f] = NUMERIC_FIELDS.has(f) ? num(r[f]) : text(r[f]);
    for (const v of variables) {
      const own = v.kind === 'numeric' ? num(r[v.alias]) : text(r[v.alias]);
      const other = v.alt && own === null ? (v.alt.kind === 'numeric' ? num(r[v.alt.alias]) : text(r[v.alt.alias])) : null;
      out[variableColumnName(v.name)] = own ?? other;
    }
    return out;
  });
  return { columns, records };
}
