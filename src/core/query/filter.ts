/**
 * Filters as researchers type them: `fatigue>=3`, `hardware_model=NX-200`, `notes~drift`.
 * Parsed into terms; values stay values (they are bound as parameters, never spliced into SQL).
 */
import { RecpipeError } from '../errors.js';
import { parseSessionName } from '../session/name.js';

export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';
export const OPS: Op[] = ['>=', '<=', '!=', '=', '>', '<', '~'];

export interface Term {
  field: string;
  op: Op;
  value: string;
}

/** Operators people type from other languages, read as the one they mean. */
const ALIASES: Record<string, Op> = { '==': '=', '<>': '!=', '=>': '>=', '=<': '<=' };

/**
 * One filter term. Field names are read ignoring case (variables and columns are lowercase
 * snake_case, so `Fatigue>=3` can only mean `fatigue>=3`); `==`, `<>`, `=>` and `=<` are read
 * as `=`, `!=`, `>=` and `<=`.
 */
export function parseTerm(raw: string): Term {
  const m = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*(==|<>|=>|=<|>=|<=|!=|=|>|<|~)\s*(.*)$/.exec(raw);
  if (!m) throw unreadable(raw);
  const value = m[3].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  if (value === '') throw new RecpipeError('usage', `filter ${JSON.stringify(raw)} has no value`, { hint: 'give a value after the operator' });
  return { field: m[1].toLowerCase(), op: ALIASES[m[2]] ?? (m[2] as Op), value };
}

/** Why a term could not be read, with the most likely fix for the usual slips. */
function unreadable(raw: string): RecpipeError {
  const colon = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*(.+)$/.exec(raw);
  const bare = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*$/.exec(raw);
  const hint = colon
    ? `write ${colon[1].toLowerCase()}=${colon[2]} (filters use = != > >= < <= ~, not ":")`
    : bare
      ? `a filter needs an operator and a value, e.g. ${bare[1].toLowerCase()}>=3 or ${bare[1].toLowerCase()}=NX-200 (quote it so the shell leaves > and < alone)`
      : /^\s*[^A-Za-z]/.test(raw)
        ? 'a filter starts with a field name (a letter), e.g. fatigue>=3'
        : `write field<op>value with op one of ${OPS.join(' ')}, e.g. fatigue>=3 or hardware_model=NX-200`;
  return new RecpipeError('usage', `cannot read filter ${JSON.stringify(raw)}`, { hint });
}

/** `YYYY-MM-DD`, checked as a real date (2021-02-29 is refused). */
export function parseDay(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || !parseSessionName(`${m[1]}${m[2]}${m[3]}_000000`).ok) {
    throw new RecpipeError('usage', `${flag} ${JSON.stringify(value)} is not a date`, { hint: 'write dates as YYYY-MM-DD, e.g. 2021-02-01' });
  }
  return value;
}
