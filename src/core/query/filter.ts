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

export function parseTerm(raw: string): Term {
  const m = /^\s*([a-z][a-z0-9_]*)\s*(>=|<=|!=|=|>|<|~)\s*(.*)$/.exec(raw);
  if (!m) {
    throw new RecpipeError('usage', `cannot read filter ${JSON.stringify(raw)}`, {
      hint: `write field<op>value with op one of ${OPS.join(' ')}, e.g. fatigue>=3 or hardware_model=NX-200`,
    });
  }
  const value = m[3].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  if (value === '') throw new RecpipeError('usage', `filter ${JSON.stringify(raw)} has no value`, { hint: 'give a value after the operator' });
  return { field: m[1], op: m[2] as Op, value };
}

/** `YYYY-MM-DD`, checked as a real date (2021-02-29 is refused). */
export function parseDay(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || !parseSessionName(`${m[1]}${m[2]}${m[3]}_000000`).ok) {
    throw new RecpipeError('usage', `${flag} ${JSON.stringify(value)} is not a date`, { hint: 'write dates as YYYY-MM-DD, e.g. 2021-02-01' });
  }
  return value;
}
