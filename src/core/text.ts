/**
 * A value of unknown type as display text: '' when absent, its own text for a scalar, JSON for
 * anything nested (never "[object Object]"). Used by query records and the web view.
 */
export function textOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v.toString();
  return JSON.stringify(v) ?? '';
}
