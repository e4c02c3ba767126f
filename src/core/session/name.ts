/**
 * Session folder names: `YYYYMMDD_HHMMSS`, the rig's local time when recording started.
 * Parsed by hand, never through `Date`, which silently turns 2021-02-29 into 2021-03-01.
 */
import { RecpipeError } from '../errors.js';

export const SESSION_NAME = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;

export interface SessionTimestamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Returns the parsed timestamp, or a sentence saying what is wrong with the name. */
export function parseSessionName(name: string): { ok: true; value: SessionTimestamp } | { ok: false; problem: string } {
  const m = SESSION_NAME.exec(name);
  if (!m) return { ok: false, problem: 'it is not of the form YYYYMMDD_HHMMSS' };
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (year < 1970 || year > 2999) return { ok: false, problem: `year ${year} is out of range 1970-2999` };
  if (month < 1 || month > 12) return { ok: false, problem: `${date} is not a date (month ${m[2]})` };
  if (day < 1 || day > daysInMonth(year, month)) return { ok: false, problem: `${date} is not a date` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: `${m[4]}:${m[5]}:${m[6]} is not a time of day` };
  return { ok: true, value: { year, month, day, hour, minute, second } };
}

/** Parses or throws `invalid_name` with the fix. */
export function sessionTimestamp(name: string): SessionTimestamp {
  const r = parseSessionName(name);
  if (!r.ok) {
    throw new RecpipeError('invalid_name', `invalid session name ${JSON.stringify(name)}: ${r.problem}`, {
      hint: 'name session folders after the local start time, e.g. 20210228_161221',
    });
  }
  return r.value;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time without zone, `YYYY-MM-DDTHH:MM:SS`. */
export function recordedAt(t: SessionTimestamp): string {
  return `${t.year}-${p2(t.month)}-${p2(t.day)}T${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
}

/** The catalog partition value `YYYY-MM-DD`. */
export function partitionDate(t: SessionTimestamp): string {
  return `${t.year}-${p2(t.month)}-${p2(t.day)}`;
}
