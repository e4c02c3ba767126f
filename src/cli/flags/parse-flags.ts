/**
 * Commander's raw option values -> one typed, validated object per command, by the command's
 * declarations. A malformed value is refused with one line naming the flag, the value and what
 * is accepted (a usage error: exit 2), before the command does anything.
 */
import { RecpipeError } from '../../core/errors.js';
import type { FlagSet, FlagSpec, FlagValues } from './declare.js';

/** `--concurrency` of `--concurrency <n>`, `--ignore-case` of `-i, --ignore-case`. */
export function longName(spec: Pick<FlagSpec<unknown>, 'flags'>): string {
  return /--[a-z0-9-]+/i.exec(spec.flags)?.[0] ?? spec.flags;
}

/** Reads every declared flag from `raw` (commander's `opts()`); throws a usage error at the first bad one. */
export function parseFlags<S extends FlagSet>(set: S, raw: Readonly<Record<string, unknown>>): FlagValues<S> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(set)) {
    const value = raw[name];
    const r = spec.read(value);
    if (!r.ok) throw flagError(spec, 'got' in r ? r.got : value, r.detail);
    out[name] = r.value;
  }
  // Every key of S was read by its own spec just above, which is what FlagValues<S> states.
  return out as FlagValues<S>;
}

function flagError(spec: FlagSpec<unknown>, got: unknown, detail: string | undefined): RecpipeError {
  const flag = longName(spec);
  const accepts = spec.type?.accepts ?? 'given without a value';
  const shown = typeof got === 'string' ? JSON.stringify(got) : JSON.stringify(got ?? null);
  return new RecpipeError('usage', `${flag} must be ${accepts}, got ${shown}${detail ? ` (${detail})` : ''}`, {
    details: { flag, value: got, accepts },
  });
}

/** The config keys a command's flags set (for the config's flag layer), and each one's flag for messages. */
export function configFromFlags(set: FlagSet, values: Readonly<Record<string, unknown>>): { values: Record<string, unknown>; names: Record<string, string> } {
  const out: { values: Record<string, unknown>; names: Record<string, string> } = { values: {}, names: {} };
  for (const [name, spec] of Object.entries(set)) {
    if (!spec.config || values[name] === undefined) continue;
    out.values[spec.config] = values[name];
    out.names[spec.config] = longName(spec);
  }
  return out;
}
