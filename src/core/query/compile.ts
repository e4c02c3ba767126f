/**
 * Compiles a query to SQL text with positional `?` parameters and the values beside it.
 * The SQL text is built only from fixed fragments and validated field names; every user value
 * is a parameter. One plan, two dialects: DuckDB (embedded) and Athena (Trino).
 */
import { RecpipeError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Term } from './filter.js';
import { mapGet, normalizeFields, whereOf } from './where.js';

export type Dialect = 'duckdb' | 'athena';
export type Param = string | number;

export interface QuerySpec {
  terms: Term[];
  from?: string;
  to?: string;
  pipeline: string;
  pipelineVersion: string;
  /** Session variables to return as columns; all known ones when absent. */
  columns?: string[];
  /** `=` and `!=` on text ignore case. */
  ignoreCase?: boolean;
}

/** A session variable returned as a column: selected under a positional alias, never its own name. */
export interface VariableColumn {
  name: string;
  kind: 'numeric' | 'text';
  alias: string;
  /** For a variable some sessions wrote as the other kind: that map's value, used where the first is NULL. */
  alt?: { kind: 'numeric' | 'text'; alias: string };
}

/** The variables a query may name; a name in `mixed` has values of both kinds (its type is the list it is in). */
export interface KnownFields {
  numeric: string[];
  text: string[];
  mixed?: string[];
}

export interface Compiled {
  sql: string;
  params: Param[];
  /** The variable columns the SELECT returns, in order (empty for SQL without them). */
  variables: VariableColumn[];
}

export interface TableNames {
  sessions: string;
  files: string;
}

/** The variable columns a query returns: `wanted` in its order, or every known variable sorted by name. */
export function variableColumns(fields: KnownFields, wanted?: string[]): VariableColumn[] {
  const known = normalizeFields(fields);
  const all = [...known.numeric, ...known.text].sort();
  const names = wanted?.map((n) => n.toLowerCase()) ?? all;
  return [...new Set(names)].map((name, i) => {
    const kind = known.numeric.includes(name) ? 'numeric' : known.text.includes(name) ? 'text' : undefined;
    if (!kind) {
      const guess = didYouMean(name, all);
      throw new RecpipeError('usage', `--columns: unknown variable "${name}"${guess ? `; ${guess}` : ''}`, {
        hint: `known variables: ${all.join(', ') || '(none yet)'}; \`recpipe query --fields\` lists them`,
      });
    }
    const alt = known.mixed.includes(name) ? { kind: kind === 'numeric' ? ('text' as const) : ('numeric' as const), alias: `v${i}x` } : undefined;
    return { name, kind, alias: `v${i}`, ...(alt ? { alt } : {}) };
  });
}

const mapOf = (kind: 'numeric' | 'text') => (kind === 'numeric' ? 'num_vars' : 'text_vars');

export function compileQuery(spec: QuerySpec, fields: KnownFields, dialect: Dialect, tables: TableNames): Compiled {
  const variables = variableColumns(fields, spec.columns);
  // Variable names reach the SQL text only as bound parameters; the column aliases are fixed.
  const params: Param[] = [];
  let selectVars = '';
  for (const v of variables) {
    selectVars += `, ${mapGet(dialect, mapOf(v.kind))} AS ${v.alias}`;
    params.push(v.name);
    if (v.alt) {
      selectVars += `, ${mapGet(dialect, mapOf(v.alt.kind))} AS ${v.alt.alias}`;
      params.push(v.name);
    }
  }
  const where = whereOf(spec, fields, dialect);
  for (const c of where) params.push(...c.params);
  params.push(spec.pipeline, spec.pipelineVersion);
  const sql =
    `SELECT s.session_id, s.rig, s.session, s.recorded_at, s.revision, f.pipeline, f.pipeline_version, f.key, f.file, f.bytes, f.sha256, coalesce(s.warning_count, 0) AS warning_count${selectVars}\n` +
    `FROM ${tables.sessions} s JOIN ${tables.files} f ON f.session_id = s.session_id\n` +
    `WHERE ${[...where.map((c) => c.sql), 'f.pipeline = ?', 'f.pipeline_version = ?'].join('\n  AND ')}\n` +
    `ORDER BY s.recorded_at, s.session_id, f.key`;
  return { sql, params, variables };
}
