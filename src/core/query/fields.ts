/**
 * `recpipe query --fields`: the session variables the catalog knows, with their type and how many
 * sessions define each. One query per dialect (UNNEST is spelled differently), no user input.
 */
import type { Dialect, TableNames } from './compile.js';

export interface FieldInfo {
  name: string;
  type: 'number' | 'text';
  /** Sessions that define it. */
  sessions: number;
}

export function fieldCountsSql(dialect: Dialect, tables: TableNames): string {
  const part = (col: string, type: string) =>
    dialect === 'athena'
      ? `SELECT k AS name, '${type}' AS type, count(*) AS sessions FROM ${tables.sessions} CROSS JOIN UNNEST(map_keys(${col})) AS t(k) GROUP BY k`
      : `SELECT k AS name, '${type}' AS type, count(*) AS sessions FROM (SELECT unnest(map_keys(${col})) AS k FROM ${tables.sessions}) GROUP BY k`;
  return `${part('num_vars', 'number')}\nUNION ALL\n${part('text_vars', 'text')}\nORDER BY name, type`;
}

export function toFieldInfo(rows: Record<string, unknown>[]): FieldInfo[] {
  return rows.map((r) => ({ name: String(r.name), type: r.type === 'number' ? 'number' : 'text', sessions: Number(r.sessions) }));
}
