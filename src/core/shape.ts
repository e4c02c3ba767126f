/**
 * A tiny schema helper: each shape is a runtime check and a TypeScript type at once, so a stored
 * record, a rig event's payload or a log event's fields are declared once and read with a check
 * instead of a cast (`JSON.parse(...) as T` trusts whatever the file holds). Unknown fields are
 * let through (a newer writer may add some); a missing or mistyped one is named with its path.
 *
 * Why not zod or ajv: the checks needed are field types, a few literals and lengths; this file is
 * the whole of it, pure, and cheap enough for the Lambdas' cold start.
 */

/** A checked type: `check` says nothing for a T, else one line naming the path `at` and what is wrong. */
export interface Shape<T> {
  /** What a value of this shape is, for messages ("a string", "one of \"a\", \"b\""). */
  readonly expected: string;
  check(value: unknown, at: string): string | undefined;
  /**
   * Never set: makes T invariant, so `const S: Shape<Declared> = obj({...})` fails to compile when
   * the shape and the declared type disagree in either direction.
   */
  readonly _type?: (t: T) => T;
  /** An object shape's declared field names (for checks that a field something reads is declared). */
  readonly fieldNames?: readonly string[];
}

/** The type a shape checks. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

/** A short rendering of a value that failed, for the message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return typeof v;
}

/** The path in a message; the root of a record is "it". */
const label = (at: string) => at || 'it';
/** A field's path under `at`. */
const under = (at: string, field: string) => (at ? `${at}.${field}` : field);

const leaf = <T>(expected: string, test: (v: unknown) => boolean): Shape<T> => ({
  expected,
  check: (v, at) => (test(v) ? undefined : `${label(at)} must be ${expected} (got ${describeValue(v)})`),
});

export const str: Shape<string> = leaf('a string', (v) => typeof v === 'string');
export const num: Shape<number> = leaf('a number', (v) => typeof v === 'number' && Number.isFinite(v));
/** A whole number (JSON numbers past 2^53 are not exact, so they are refused). */
export const int: Shape<number> = leaf('a whole number', (v) => Number.isSafeInteger(v));
export const bool: Shape<boolean> = leaf('true or false', (v) => typeof v === 'boolean');
/** Anything, present or not (a field whose content nobody reads as a type). */
export const anything: Shape<unknown> = { expected: 'anything', check: () => undefined };

/** A string that matches `re` (described as `expected`). */
export const matching = (re: RegExp, expected: string): Shape<string> => leaf(expected, (v) => typeof v === 'string' && re.test(v));

/** Lowercase hex SHA-256. */
export const sha256Hex: Shape<string> = matching(/^[0-9a-f]{64}$/, 'a SHA-256 (64 lowercase hex characters)');

/** One of the given literal values. */
export function oneOf<const L extends readonly (string | number | boolean)[]>(...values: L): Shape<L[number]> {
  const expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return leaf(expected, (v) => values.includes(v as L[number]));
}

/** The field may be absent (or undefined). */
export function opt<T>(s: Shape<T>): Shape<T | undefined> {
  return { expected: `${s.expected} or nothing`, check: (v, at) => (v === undefined ? undefined : s.check(v, at)) };
}

export function nullable<T>(s: Shape<T>): Shape<T | null> {
  return { expected: `${s.expected} or null`, check: (v, at) => (v === null ? undefined : s.check(v, at)) };
}

/** Either shape. */
export function either<A, B>(a: Shape<A>, b: Shape<B>): Shape<A | B> {
  return { expected: `${a.expected} or ${b.expected}`, check: (v, at) => (a.check(v, at) === undefined ? undefined : b.check(v, at)) };
}

/** Both shapes at once (an object with the fields of each). */
export function both<A, B>(a: Shape<A>, b: Shape<B>): Shape<A & B> {
  return { expected: `${a.expected} and ${b.expected}`, check: (v, at) => a.check(v, at) ?? b.check(v, at) };
}

export function arrayOf<T>(s: Shape<T>): Shape<T[]> {
  return {
    expected: `a list of ${s.expected}`,
    check(v, at) {
      if (!Array.isArray(v)) return `${label(at)} must be a list (got ${describeValue(v)})`;
      for (let i = 0; i < v.length; i++) {
        const p = s.check(v[i], `${label(at)}[${i}]`);
        if (p) return p;
      }
      return undefined;
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object used as a map: any keys, every value of shape `s`. */
export function mapOf<T>(s: Shape<T>): Shape<Record<string, T>> {
  return {
    expected: `an object of ${s.expected}`,
    check(v, at) {
      if (!isPlainObject(v)) return `${label(at)} must be an object (got ${describeValue(v)})`;
      for (const [k, x] of Object.entries(v)) {
        const p = s.check(x, under(at, k));
        if (p) return p;
      }
      return undefined;
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field shape (Shape<T> is invariant, so Shape<unknown> would accept none)
type Spec = Record<string, Shape<any>>;
type OptionalKeys<S extends Spec> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** The object type of a spec: fields whose shape admits undefined are optional. */
export type ObjectOf<S extends Spec> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

/** An object with these fields (others are allowed and kept). */
export function obj<S extends Spec>(spec: S): Shape<ObjectOf<S>> {
  const fields = Object.entries(spec);
  return {
    expected: 'an object',
    fieldNames: Object.keys(spec),
    check(v, at) {
      if (!isPlainObject(v)) return `${label(at)} must be an object (got ${describeValue(v)})`;
      for (const [k, s] of fields) {
        const p = s.check(v[k], under(at, k));
        if (p) return p;
      }
      return undefined;
    },
  };
}

/**
 * The shape of a declared type T, field by field: every field of T must be listed (optional ones
 * with `opt`), each with exactly its type, or this does not compile. Curried so T is given and the
 * spec is checked against it: `fieldsOf<LedgerEntry>()({ session_id: str, ... })`.
 */
export function fieldsOf<T extends object>(): (spec: { [K in keyof Required<T>]: Shape<T[K]> }) => Shape<T> {
  return (spec) => obj(spec as Spec) as unknown as Shape<T>;
}

/** Whether `value` has shape `s` (a type guard). */
export function conforms<T>(s: Shape<T>, value: unknown): value is T {
  return s.check(value, '') === undefined;
}
