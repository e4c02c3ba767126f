/**
 * The rules a session's metadata variables obey, in one place for the client (metadata parsing,
 * `recpipe check`) and the server (POST /v1/commit re-applies them: it never trusts the client).
 * Lookups are own-property only, so names like "constructor" are ordinary names.
 */
import type { SessionVariables } from './manifest-types.js';

/** snake_case, starting with a letter, at most 63 characters. */
export const VARIABLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** Own-property read of a typed variable (undefined when absent). */
export function numericVar(vars: SessionVariables, name: string): number | undefined {
  return Object.hasOwn(vars.numeric, name) ? vars.numeric[name] : undefined;
}
export function textVar(vars: SessionVariables, name: string): string | undefined {
  return Object.hasOwn(vars.text, name) ? vars.text[name] : undefined;
}

/**
 * Whether `name` is already defined, as number or text. Names are compared ignoring case (Athena's
 * JSON reader folds key case, so `Fatigue` and `fatigue` would be one column); the client stores
 * only VARIABLE_NAME names, which are lowercase, so an own-property lookup of the lowercased name
 * is that comparison. The server checks whole sets with `variablesProblems`.
 */
export function isDefined(vars: SessionVariables, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.hasOwn(vars.numeric, lower) || Object.hasOwn(vars.text, lower);
}

/**
 * Sizes are bounded by the API's 1 MiB request body, not here: a client-side limit the server
 * did not share (or the reverse) would let a session pass `recpipe check` and fail its commit.
 *
 * Every problem with a set of variables as the server receives it: names, types, a name used
 * twice (as number and text, in any case). Each problem is one sentence naming the variable.
 * Values of the reserved fields (channels, sample_format) are content: a rig reports them as
 * warnings and the session is archived anyway (core/session/severity.ts), so they are not here.
 */
export function variablesProblems(vars: SessionVariables): string[] {
  const p: string[] = [];
  const seen = new Map<string, string>();
  const names = [...Object.keys(vars.numeric).map((k) => ['numeric', k]), ...Object.keys(vars.text).map((k) => ['text', k])];
  for (const [kind, name] of names) {
    if (!isVariableName(name)) p.push(`variables.${kind}.${JSON.stringify(name).slice(0, 80)} is not a snake_case name`);
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) p.push(`variables: ${JSON.stringify(name)} is defined twice (as ${other} and ${kind}; names are compared ignoring case)`);
    seen.set(name.toLowerCase(), kind);
  }
  for (const [k, n] of Object.entries(vars.numeric)) if (typeof n !== 'number' || !Number.isFinite(n)) p.push(`variables.numeric.${k} must be a finite number`);
  for (const [k, s] of Object.entries(vars.text)) if (typeof s !== 'string') p.push(`variables.text.${k} must be a string`);
  return p;
}
