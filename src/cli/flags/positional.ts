/**
 * Commander's positional arguments, read without casts: `<x>` arrives as a string, `[x]` as a
 * string or undefined, `<x...>` and `[x...]` as an array of strings.
 */

const isString = (v: unknown): v is string => typeof v === 'string';

/** A `<x...>` or `[x...]` argument. */
export function words(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter(isString);
  return isString(value) ? [value] : [];
}

/** A `<x>` argument (commander refuses the command without it). */
export function word(value: unknown): string {
  return isString(value) ? value : '';
}

/** A `[x]` argument. */
export function maybeWord(value: unknown): string | undefined {
  return isString(value) ? value : undefined;
}
