/**
 * Value types for the domain's own words (a rig name, a day, a bandwidth timetable...), each
 * reading its text with the core rule that owns it, so a flag, a config key and the code that
 * later uses the value agree on what is valid.
 */
import { bwlimitProblem } from '../core/ingest/bwlimit.js';
import { assertSnapshotName, parseSessionId, pipelineSegment } from '../core/layout.js';
import { assertRigName } from '../core/names.js';
import { parseDay } from '../core/query/filter.js';
import { fromRule, type ValueType } from './value-types.js';

/** `--bwlimit` and `bwlimit`: a rate or a day timetable (core/ingest/bwlimit.ts); a refusal names the bad piece. */
export const bwlimit: ValueType<string> = {
  kind: 'checked',
  accepts: 'a rate like 20M, 512K or off, or a day timetable like "08:00,5M 20:00,off"',
  parse(raw) {
    if (typeof raw !== 'string') return { ok: false, why: 'is not a string' };
    const problem = bwlimitProblem(raw);
    return problem === undefined ? { ok: true, value: raw } : { ok: false, why: `is not a bandwidth limit: ${problem}`, detail: problem };
  },
};

/** A pipeline name or version as it appears in keys (core/layout.ts pipelineSegment). */
export const pipelineWord: ValueType<string> = fromRule('1-63 lowercase letters, digits, dots, dashes or underscores (like "default" or "1.0.0")', (s) =>
  pipelineSegment(s, 'pipeline version'),
);

/** A day, YYYY-MM-DD, that exists (2021-02-29 does not). */
export const day: ValueType<string> = fromRule('a day as YYYY-MM-DD, e.g. 2021-02-01', (s) => parseDay(s, 'day'));

/** A rig name (core/names.ts). */
export const rigName: ValueType<string> = fromRule('a rig name: 1-63 lowercase letters, digits or dashes (like rig-01)', assertRigName);

/** A snapshot name (core/layout.ts). */
export const snapshotName: ValueType<string> = fromRule(
  'a snapshot name: 1-63 lowercase letters, digits, dots, dashes or underscores (like fatigue-v1)',
  assertSnapshotName,
);

/** A session id, RIG/YYYYMMDD_HHMMSS, with a real date and time. */
export const sessionId: ValueType<string> = fromRule('a session id like rig-01/20210228_161221', parseSessionId);
