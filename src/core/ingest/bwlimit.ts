/**
 * `--bwlimit`: a cap on upload bandwidth, fixed ("20M") or as a day timetable like rclone's
 * ("08:00,5M 20:00,off": 5 MiB/s from 08:00, no cap from 20:00 until 08:00 next day), so a rig
 * stays usable while it records. Sizes are bytes per second with rclone's suffixes: a bare
 * number or K is KiB/s, M MiB/s, G GiB/s, B bytes/s; "off" (or 0) is no cap. Times are the
 * machine's local time. Pure: parsing and the rate at a given time.
 */
import { RecpipeError } from '../errors.js';

export interface BwEntry {
  /** Minutes after local midnight when this rate starts. */
  minute: number;
  /** Bytes per second; undefined: no cap. */
  rate: number | undefined;
}

/** Sorted by start; a single entry applies all day. */
export type Timetable = BwEntry[];

const UNITS: Record<string, number> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

function bad(text: string, why: string): RecpipeError {
  return new RecpipeError('usage', `--bwlimit "${text}": ${why}`, {
    fault: 'user',
    details: { why },
    hint: 'give a rate such as 20M (MiB/s), 512K or off, or a timetable such as "08:00,5M 20:00,off"',
  });
}

function parseRate(text: string, whole: string): number | undefined {
  if (/^off$/i.test(text)) return undefined;
  const m = /^(\d+(?:\.\d+)?)([BKMG])?$/i.exec(text);
  if (!m) throw bad(whole, `"${text}" is not a rate`);
  const bytes = Number(m[1]) * UNITS[(m[2] ?? 'K').toUpperCase()];
  return bytes > 0 ? bytes : undefined;
}

/** Parses a fixed rate or a timetable; throws a usage error naming the bad piece. */
export function parseBwlimit(text: string): Timetable {
  const pieces = text.trim().split(/\s+/).filter(Boolean);
  if (pieces.length === 0) throw bad(text, 'empty');
  if (pieces.length === 1 && !pieces[0].includes(',')) return [{ minute: 0, rate: parseRate(pieces[0], text) }];
  const entries = pieces.map((p) => {
    const m = /^(\d{1,2}):(\d{2}),(.+)$/.exec(p);
    if (!m) throw bad(text, `"${p}" is not HH:MM,RATE (weekday entries are not supported)`);
    const [h, min] = [Number(m[1]), Number(m[2])];
    if (h > 23 || min > 59) throw bad(text, `"${m[1]}:${m[2]}" is not a time of day`);
    return { minute: h * 60 + min, rate: parseRate(m[3], text) };
  });
  entries.sort((a, b) => a.minute - b.minute);
  for (let i = 1; i < entries.length; i++) if (entries[i].minute === entries[i - 1].minute) throw bad(text, 'a time appears twice');
  return entries;
}

/** Why `text` is not a bandwidth limit ("\"25:00\" is not a time of day"), or undefined when it is one. */
export function bwlimitProblem(text: string): string | undefined {
  try {
    parseBwlimit(text);
    return undefined;
  } catch (e) {
    const why = e instanceof RecpipeError ? e.details?.why : undefined;
    if (typeof why === 'string') return why;
    throw e;
  }
}

/** The cap in force at `at` (local time): the last entry started today, or else the day's last entry (from yesterday). */
export function rateAt(table: Timetable, at: Date): number | undefined {
  const minute = at.getHours() * 60 + at.getMinutes();
  let current = table[table.length - 1];
  for (const e of table) if (e.minute <= minute) current = e;
  return current.rate;
}
