/**
 * The session variables the catalog knows: their type and how many sessions define each. One
 * query per dialect (UNNEST is spelled differently), no user input. A variable has one type, the
 * one most sessions give it (numbers on a tie); a session that wrote a value of the other kind
 * (`22,5` where the others wrote numbers) keeps it as it was written, counted in `otherType`.
 */
import type { Dialect, KnownFields, TableNames } from './compile.js';

/** One variable as `recpipe query --fields` lists it. */
export interface FieldInfo {
  name: string;
  type: 'number' | 'text';
  /** Sessions that define it (whatever the kind of their value). */
  sessions: number;
  /** Of those, sessions whose value is not of the variable's type (kept as written, shown as text or number). */
  otherType: number;
}

/** Counts of sessions per variable name and kind of value. */
export function fieldCountsSql(dialect: Dialect, tables: TableNames): string {
  const part = (col: string, type: string) =>
    dialect === 'athena'
      ? `SELECT k AS name, '${type}' AS type, count(*) AS sessions FROM ${tables.sessions} CROSS JOIN UNNEST(map_keys(${col})) AS t(k) GROUP BY k`
      : `SELECT k AS name, '${type}' AS type, count(*) AS sessions FROM (SELECT unnest(map_keys(${col})) AS k FROM ${tables.sessions}) GROUP BY k`;
  return `${part('num_vars', 'number')}\nUNION ALL\n${part('text_vars', 'text')}\nORDER BY name, type`;
}

/** The engine's count rows as one entry per variable, by name. */
export function toFieldInfo(rows: Record<string, unknown>[]): FieldInfo[] {
  const by = new Map<string, { number: number; text: number }>();
  for (const r of rows) {
    const name = String(r.name);
    const c = by.get(name) ?? { number: 0, text: 0 };
    c[r.type === 'number' ? 'number' : 'text'] += Number(r.sessions);
    by.set(name, c);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, c]) => {
      const type = c.number >= c.text ? 'number' : 'text';
      return { name, type, sessions: c.number + c.text, otherType: type === 'number' ? c.text : c.number };
    });
}

/** The fields a query may name, each under its one type; `mixed` lists those with values of both kinds. */
export function knownFieldsOf(info: FieldInfo[]): KnownFields {
  return {
    numeric: info.filter((f) => f.type === 'number').map((f) => f.name),
    text: info.filter((f) => f.type === 'text').map((f) => f.name),
    mixed: info.filter((f) => f.otherType > 0).map((f) => f.name),
  };
}
