/**
 * The kinds of value a setting takes, each with the one rule that reads it. A config key
 * (schema.ts) and a command-line flag (src/cli/flags) that set the same thing share the same
 * ValueType, so they accept and refuse the same text. Pure: no I/O.
 */
import { isRecpipeError } from '../core/errors.js';

/** A value read, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; why: string; detail?: string };

/** What a type is, as data: the flag table's tests and the generated help read it. */
export type ValueKind = 'integer' | 'number' | 'enum' | 'text' | 'list' | 'checked';

export interface ValueType<T> {
  readonly kind: ValueKind;
  /** What is accepted, to end "must be ...": "a whole number from 1 to 64". */
  readonly accepts: string;
  /** The same, short, for --help: "1-64", "low|normal". */
  readonly range?: string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /**
   * Reads a value from text (flags, environment) or JSON (the config file). `why` completes
   * `"raw" ...` (`is below the minimum 1`); `detail`, when the rule knows more than `accepts`
   * says (which piece of a timetable is wrong), is added to a flag's message.
   */
  parse(raw: unknown): Parsed<T>;
}

const refuse = (why: string, detail?: string): { ok: false; why: string; detail?: string } => ({ ok: false, why, detail });

/** A whole number in [min, max]; text may not carry a sign other than '-', a fraction or an exponent. */
export function integer(min: number, max: number): ValueType<number> {
  return {
    kind: 'integer',
    accepts: `a whole number from ${min} to ${max}`,
    range: `${min}-${max}`,
    min,
    max,
    parse(raw) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) return refuse('is not a whole number');
      return inRange(n, min, max);
    },
  };
}

/** A decimal number in [min, max] ("0.5", "2"); no exponent, no sign but '-'. */
export function decimal(min: number, max: number): ValueType<number> {
  return {
    kind: 'number',
    accepts: `a number from ${min} to ${max}`,
    range: `${min}-${max}`,
    min,
    max,
    parse(raw) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return refuse('is not a number');
      return inRange(n, min, max);
    },
  };
}

function inRange(n: number, min: number, max: number): Parsed<number> {
  if (n < min) return refuse(`is below the minimum ${min}`);
  if (n > max) return refuse(`is above the maximum ${max}`);
  return { ok: true, value: n };
}

/** One of a fixed list of words, exactly as written. */
export function oneOf<V extends string>(values: readonly V[]): ValueType<V> {
  return {
    kind: 'enum',
    accepts: `one of ${values.join(', ')}`,
    range: values.join('|'),
    values,
    parse(raw) {
      const hit = values.find((v) => v === raw);
      return hit === undefined ? refuse(`is not one of ${values.join(', ')}`) : { ok: true, value: hit };
    },
  };
}

/** Any text (paths, labels, SQL): what it must be is checked where it is used. */
export const text: ValueType<string> = {
  kind: 'text',
  accepts: 'text',
  parse: (raw) => (typeof raw === 'string' ? { ok: true, value: raw } : refuse('is not a string')),
};

/** Comma-separated words, blanks dropped: "fatigue, hardware_model" -> ["fatigue", "hardware_model"]. */
export const commaList: ValueType<string[]> = {
  kind: 'list',
  accepts: 'a comma-separated list',
  parse(raw) {
    if (typeof raw !== 'string') return refuse('is not a string');
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length > 0 ? { ok: true, value: items } : refuse('names nothing');
  },
};

/**
 * Text a domain rule accepts: `check` returns undefined when the text is fine, or why not, phrased
 * to follow the quoted value (`is plain http to ...`). `detail` adds that reason to a flag's
 * message too, for rules that know more than `accepts` says.
 */
export function checked(accepts: string, check: (s: string) => string | undefined, o: { detail?: boolean } = {}): ValueType<string> {
  return {
    kind: 'checked',
    accepts,
    parse(raw) {
      if (typeof raw !== 'string') return refuse('is not a string');
      const problem = check(raw);
      return problem === undefined ? { ok: true, value: raw } : refuse(problem, o.detail ? problem : undefined);
    },
  };
}

/** A core rule that throws a RecpipeError on bad text (assertRigName, parseDay...), as a type: refused as "is not <accepts>". */
export function fromRule(accepts: string, rule: (s: string) => unknown): ValueType<string> {
  return checked(accepts, (s) => {
    try {
      rule(s);
      return undefined;
    } catch (e) {
      if (isRecpipeError(e)) return `is not ${accepts}`;
      throw e;
    }
  });
}
