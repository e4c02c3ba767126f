/**
 * A flag, declared once as data: its commander spelling, help, value type, default and (when it
 * sets a config key) that key, whose rule it then uses. The builders below are the only way to
 * make one, so every flag of every command is read by parse-flags.ts the same way.
 */
import { KEYS, type Config, type ConfigKey } from '../../config/schema.js';
import type { Parsed, ValueType } from '../../config/value-types.js';

/** One flag. `T` is its value in the command's parsed flags (undefined when it may be absent). */
export interface FlagSpec<T> {
  /** Commander's spelling: `--concurrency <n>`, `-i, --ignore-case`, `--no-wait`, `--session <id...>`. */
  readonly flags: string;
  readonly help: string;
  /** The value's type; absent for a switch. */
  readonly type?: ValueType<unknown>;
  /** The config key this flag sets (a layer above the environment and the config file). */
  readonly config?: ConfigKey;
  /** The value when the flag is absent, shown in --help. */
  readonly fallback?: unknown;
  /** Commander refuses the command without it. */
  readonly required?: boolean;
  /** Reads what commander collected (a string, a string[] for `<x...>`, a boolean for a switch). */
  readonly read: (raw: unknown) => FlagRead<T>;
}

/** A flag's value, or why not; `got` is the offending piece when it is not the whole raw value (one of a list). */
export type FlagRead<T> = Parsed<T> | { ok: false; why: string; detail?: string; got: unknown };

/** A command's flags, by the name commander gives each (`--part-size-mib` -> `partSizeMib`). */
export type FlagSet = Readonly<Record<string, FlagSpec<unknown>>>;

/** The typed object a command's action receives. */
export type FlagValues<S extends FlagSet> = { readonly [K in keyof S]: S[K] extends FlagSpec<infer T> ? T : never };

const absent = { ok: true, value: undefined } as const;

function one<T>(type: ValueType<T>): (raw: unknown) => Parsed<T | undefined> {
  return (raw) => (raw === undefined ? absent : type.parse(raw));
}

/** A flag with a value, absent unless given. */
export function option<T>(flags: string, help: string, type: ValueType<T>): FlagSpec<T | undefined> {
  return { flags, help, type, read: one(type) };
}

/** A flag with a value and a default. */
export function optionOr<T>(flags: string, help: string, type: ValueType<T>, fallback: T): FlagSpec<T> {
  return { flags, help, type, fallback, read: (raw) => (raw === undefined ? { ok: true, value: fallback } : type.parse(raw)) };
}

/** A flag the command cannot run without (commander says so when it is missing). */
export function required<T>(flags: string, help: string, type: ValueType<T>): FlagSpec<T> {
  return { flags, help, type, required: true, read: (raw) => (raw === undefined ? { ok: false, why: 'is missing' } : type.parse(raw)) };
}

/** A flag taking one or more values (`--session <id...>`), each read by `type`. */
export function list<T>(flags: string, help: string, type: ValueType<T>): FlagSpec<T[] | undefined> {
  return {
    flags,
    help,
    type,
    read(raw) {
      if (raw === undefined) return absent;
      const out: T[] = [];
      const items: unknown[] = Array.isArray(raw) ? raw : [raw];
      for (const item of items) {
        const r = type.parse(item);
        if (!r.ok) return { ...r, got: item };
        out.push(r.value);
      }
      return { ok: true, value: out };
    },
  };
}

/**
 * A flag that sets a config key: read by the key's own type, absent unless given (the config
 * then resolves it from the environment, the file or the default).
 */
export function fromConfig<K extends ConfigKey>(flags: string, help: string, key: K): FlagSpec<Config[K] | undefined> {
  const type: ValueType<NonNullable<Config[K]>> = KEYS[key].type;
  return { flags, help, type, config: key, read: one(type) };
}

/** A switch: `--dry-run` is false unless given; `--no-wait` is true unless given. */
export function toggle(flags: string, help: string): FlagSpec<boolean> {
  const negated = /(^|\s)--no-/.test(flags);
  return {
    flags,
    help,
    fallback: negated ? true : undefined,
    read: (raw) => (raw === undefined || typeof raw === 'boolean' ? { ok: true, value: raw ?? negated } : { ok: false, why: 'takes no value' }),
  };
}
