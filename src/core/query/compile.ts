/**
 * Compiles a query to SQL text with positional `?` parameters and the values beside it.
 * The SQL text is built only from fixed fragments and validated field names; every user value
 * is a parameter. One plan, two dialects: DuckDB (embedded) and Athena (Trino).
 */
import { RecpipeError } from '../errors.js';
import { parseDay, type Op, type Term } from './filter.js';

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
}

/** A session variable returned as a column: selected under a positional alias, never its own name. */
export interface VariableColumn {
  name: string;
  kind: 'numeric' | 'text';
  alias: string;
}

export interface KnownFields {
  numeric: string[];
  text: string[];
}

export interface Compiled {
  sql: string;
  params: Param[];
  /** The variable columns the SELECT returns, in order (empty for SQL without them). */
  variables: VariableColumn[];
}

const FIXED_NUMERIC = ['file_count', 'total_bytes'];
const FIXED_TEXT = ['session_id', 'rig', 'session'];
const FIXED_TIME = ['recorded_at', 'uploaded_at'];
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export interface TableNames {
  sessions: string;
  files: string;
}

function mapGet(dialect: Dialect, column: string): string {
  return dialect === 'athena' ? `element_at(s.${column}, ?)` : `s.${column}[?]`;
}

function known(fields: KnownFields): string {
  return [...FIXED_TEXT, ...FIXED_TIME, ...FIXED_NUMERIC, ...fields.numeric, ...fields.text].sort().join(', ');
}

/** The variable columns a query returns: `wanted` in its order, or every known variable sorted by name. */
export function variableColumns(fields: KnownFields, wanted?: string[]): VariableColumn[] {
  const names = wanted ?? [...fields.numeric, ...fields.text].sort();
  return [...new Set(names)].map((name, i) => {
    const kind = fields.numeric.includes(name) ? 'numeric' : fields.text.includes(name) ? 'text' : undefined;
    if (!kind)
      throw new RecpipeError('usage', `--columns: unknown variable "${name}"`, {
        hint: `known variables: ${[...fields.numeric, ...fields.text].sort().join(', ') || '(none yet)'}; \`recpipe query --fields\` lists them`,
      });
    return { name, kind, alias: `v${i}` };
  });
}

export function compileQuery(spec: QuerySpec, fields: KnownFields, dialect: Dialect, tables: TableNames): Compiled {
  const where: string[] = [];
  const variables = variableColumns(fields, spec.columns);
  // Variable names reach the SQL text only as bound parameters; the column aliases are fixed.
  const params: Param[] = variables.map((v) => v.name);
  const selectVars = variables.map((v) => `, ${mapGet(dialect, v.kind === 'numeric' ? 'num_vars' : 'text_vars')} AS ${v.alias}`).join('');
  for (const t of spec.terms) {
    const { expr, exprParams, kind } = resolveField(t.field, fields, dialect);
    checkOp(t, kind);
    if (t.op === '~') {
      where.push(`lower(${expr}) LIKE ? ESCAPE '\\'`);
      params.push(...exprParams, `%${t.value.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    } else {
      where.push(`${expr} ${t.op === '!=' ? '<>' : t.op} ?`);
      params.push(...exprParams, kind === 'numeric' ? Number(t.value) : t.value);
    }
  }
  if (spec.from) {
    where.push('s.dt >= ?');
    params.push(parseDay(spec.from, '--from'));
  }
  if (spec.to) {
    where.push('s.dt <= ?');
    params.push(parseDay(spec.to, '--to'));
  }
  if (spec.from && spec.to && spec.from > spec.to) throw new RecpipeError('usage', `--from ${spec.from} is after --to ${spec.to}`, { hint: 'swap the dates' });
  where.push('f.pipeline = ?', 'f.pipeline_version = ?');
  params.push(spec.pipeline, spec.pipelineVersion);
  const sql =
    `SELECT s.session_id, s.rig, s.session, s.recorded_at, f.pipeline, f.pipeline_version, f.key, f.file, f.bytes, f.sha256, coalesce(s.warning_count, 0) AS warning_count${selectVars}\n` +
    `FROM ${tables.sessions} s JOIN ${tables.files} f ON f.session_id = s.session_id\n` +
    `WHERE ${where.join('\n  AND ')}\n` +
    `ORDER BY s.recorded_at, s.session_id, f.key`;
  return { sql, params, variables };
}

type Kind = 'numeric' | 'text' | 'time';

function resolveField(field: string, fields: KnownFields, dialect: Dialect): { expr: string; exprParams: Param[]; kind: Kind } {
  if (FIXED_NUMERIC.includes(field)) return { expr: `s.${field}`, exprParams: [], kind: 'numeric' };
  if (FIXED_TEXT.includes(field)) return { expr: `s.${field}`, exprParams: [], kind: 'text' };
  if (FIXED_TIME.includes(field)) return { expr: `s.${field}`, exprParams: [], kind: 'time' };
  if (fields.numeric.includes(field)) return { expr: mapGet(dialect, 'num_vars'), exprParams: [field], kind: 'numeric' };
  if (fields.text.includes(field)) return { expr: mapGet(dialect, 'text_vars'), exprParams: [field], kind: 'text' };
  throw new RecpipeError('usage', `unknown field "${field}"`, { hint: `known fields: ${known(fields)}` });
}

function checkOp(t: Term, kind: Kind): void {
  const bad = (why: string, hint: string) => new RecpipeError('usage', `filter ${t.field}${t.op}${t.value}: ${why}`, { hint });
  if (kind === 'numeric') {
    if (t.op === '~') throw bad(`"~" (contains) needs a text field, and ${t.field} is numeric`, `compare numbers with = != > >= < <=`);
    if (!NUMBER.test(t.value) || !Number.isFinite(Number(t.value)))
      throw bad(`${t.field} is numeric and ${JSON.stringify(t.value)} is not a number`, 'give a number, e.g. fatigue>=3');
  }
  if (kind === 'text' && (['>', '>=', '<', '<='] as Op[]).includes(t.op))
    throw bad(`${t.field} is text; ordering is not supported`, 'use = != or ~ (contains) for text');
}
