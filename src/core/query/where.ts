/**
 * Filter terms as SQL conditions over the sessions table (alias `s`): fixed fragments and
 * validated field names in the text, every value a bound parameter. A variable has one type
 * (fields.ts); one whose sessions also hold values of the other kind (`22,5` among numbers) is
 * compared on both maps where a value can match either, so `temperature_c=22,5` finds the
 * session that wrote it and `temperature_c>=22` the numbers.
 */
import { RecpipeError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Dialect, KnownFields, Param } from './compile.js';
import { parseDay, type Op, type Term } from './filter.js';

export const FIXED_NUMERIC = ['file_count', 'total_bytes'];
export const FIXED_TEXT = ['session_id', 'rig', 'session'];
export const FIXED_TIME = ['recorded_at', 'uploaded_at'];
/** A number as a filter value or metadata value (the metadata parser's rule). */
export const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A condition and its parameters, in order. */
export interface Clause {
  sql: string;
  params: Param[];
}

/** What a filter may say besides its terms. */
export interface WhereSpec {
  terms: Term[];
  from?: string;
  to?: string;
  /** `=` and `!=` on text ignore case (`~` always does). */
  ignoreCase?: boolean;
}

type Kind = 'numeric' | 'text' | 'time';

/** The map value expression for one variable (Athena's `element_at` is NULL-safe; DuckDB's `[]` on a MAP gives the value). */
export function mapGet(dialect: Dialect, column: 'num_vars' | 'text_vars'): string {
  return dialect === 'athena' ? `element_at(s.${column}, ?)` : `s.${column}[?]`;
}

/** Known fields with the lists made disjoint: a name in both is numeric, with values of both kinds. */
export function normalizeFields(f: KnownFields): Required<KnownFields> {
  const numeric = new Set(f.numeric);
  const both = f.text.filter((n) => numeric.has(n));
  return { numeric: f.numeric, text: f.text.filter((n) => !numeric.has(n)), mixed: [...new Set([...(f.mixed ?? []), ...both])] };
}

/** Every field a filter may name: the fixed session columns and the variables. */
export function allFields(f: KnownFields): string[] {
  return [...FIXED_TEXT, ...FIXED_TIME, ...FIXED_NUMERIC, ...f.numeric, ...f.text];
}

/** The conditions of a filter, `AND`ed by the caller. */
export function whereOf(spec: WhereSpec, fields: KnownFields, dialect: Dialect): Clause[] {
  const known = normalizeFields(fields);
  const out = spec.terms.map((t) => termClause(t, known, dialect, Boolean(spec.ignoreCase)));
  if (spec.from) out.push({ sql: 's.dt >= ?', params: [parseDay(spec.from, '--from')] });
  if (spec.to) out.push({ sql: 's.dt <= ?', params: [parseDay(spec.to, '--to')] });
  if (spec.from && spec.to && spec.from > spec.to) throw new RecpipeError('usage', `--from ${spec.from} is after --to ${spec.to}`, { hint: 'swap the dates' });
  return out;
}

/** One term as a condition. */
export function termClause(t: Term, fields: Required<KnownFields>, dialect: Dialect, ignoreCase: boolean): Clause {
  const kind = kindOf(t.field, fields);
  checkOp(t, kind, fields.mixed.includes(t.field));
  if (!isVariable(t.field)) {
    const col = `s.${t.field}`;
    if (t.op === '~') return contains(col, [], t.value);
    return compare(col, [], t.op, kind === 'numeric' ? Number(t.value) : t.value, ignoreCase && kind === 'text');
  }
  const num = { sql: mapGet(dialect, 'num_vars'), params: [t.field] };
  const text = { sql: mapGet(dialect, 'text_vars'), params: [t.field] };
  if (t.op === '~') return contains(text.sql, text.params, t.value);
  const isNumber = NUMBER.test(t.value);
  if (!fields.mixed.includes(t.field) || (kind === 'numeric' && !['=', '!='].includes(t.op))) {
    const on = kind === 'numeric' ? num : text;
    return compare(on.sql, on.params, t.op, kind === 'numeric' ? Number(t.value) : t.value, ignoreCase && kind === 'text');
  }
  // A variable with values of both kinds: equal to a number or to the same text.
  const asText = compare(text.sql, text.params, t.op, t.value, ignoreCase);
  if (!isNumber) return t.op === '=' ? asText : { sql: `coalesce(${asText.sql}, ${num.sql} IS NOT NULL)`, params: [...asText.params, ...num.params] };
  const asNum = compare(num.sql, num.params, t.op, Number(t.value), false);
  return t.op === '='
    ? { sql: `(${asNum.sql} OR ${asText.sql})`, params: [...asNum.params, ...asText.params] }
    : { sql: `coalesce(${asNum.sql}, ${asText.sql})`, params: [...asNum.params, ...asText.params] };
}

const isVariable = (field: string) => ![...FIXED_TEXT, ...FIXED_TIME, ...FIXED_NUMERIC].includes(field);

function compare(expr: string, params: Param[], op: Op, value: Param, ignoreCase: boolean): Clause {
  const sqlOp = op === '!=' ? '<>' : op;
  if (ignoreCase && typeof value === 'string') return { sql: `lower(${expr}) ${sqlOp} ?`, params: [...params, value.toLowerCase()] };
  return { sql: `${expr} ${sqlOp} ?`, params: [...params, value] };
}

/** `~`: contains, ignoring case, with LIKE's wildcards in the value taken literally. */
function contains(expr: string, params: Param[], value: string): Clause {
  return { sql: `lower(${expr}) LIKE ? ESCAPE '\\'`, params: [...params, `%${value.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`] };
}

function kindOf(field: string, fields: Required<KnownFields>): Kind {
  if (FIXED_NUMERIC.includes(field) || fields.numeric.includes(field)) return 'numeric';
  if (FIXED_TEXT.includes(field) || fields.text.includes(field)) return 'text';
  if (FIXED_TIME.includes(field)) return 'time';
  const guess = didYouMean(field, allFields(fields));
  throw new RecpipeError('usage', `unknown field "${field}"${guess ? `; ${guess}` : ''}`, {
    hint:
      fields.numeric.length + fields.text.length === 0
        ? 'the catalog has no session variables yet; fields: session_id, rig, session, recorded_at, uploaded_at, file_count, total_bytes'
        : '`recpipe query --fields` lists the variables; session columns: session_id, rig, session, recorded_at, uploaded_at, file_count, total_bytes',
  });
}

function checkOp(t: Term, kind: Kind, mixed: boolean): void {
  const bad = (why: string, hint: string) => new RecpipeError('usage', `filter ${t.field}${t.op}${t.value}: ${why}`, { hint });
  if (kind === 'numeric') {
    if (t.op === '~') throw bad(`"~" (contains) needs a text field, and ${t.field} is numeric`, `compare numbers with = != > >= < <=`);
    const isNumber = NUMBER.test(t.value) && Number.isFinite(Number(t.value));
    if (!isNumber && !(mixed && ['=', '!='].includes(t.op))) {
      const comma = /^[-+]?\d+,\d+$/.test(t.value) ? `; write ${t.value.replace(',', '.')} (a decimal point, not a comma)` : '';
      throw bad(`${t.field} is numeric and ${JSON.stringify(t.value)} is not a number${comma}`, `give a number, e.g. ${t.field}>=3`);
    }
  }
  if (kind === 'text' && (['>', '>=', '<', '<='] as Op[]).includes(t.op))
    throw bad(`${t.field} is text; ordering is not supported`, 'use = != or ~ (contains) for text');
}
