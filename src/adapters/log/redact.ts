/**
 * Secrets never reach a log: API keys (`rpk_...`), tokens (`rpt1....`), presigned URL
 * signatures and credentials are masked in every string before it is written.
 */
const PATTERNS: [RegExp, string][] = [
  [/rpk_[A-Za-z0-9_-]{6,}/g, 'rpk_***'],
  [/rpt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, 'rpt1.***'],
  [/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"']+/gi, '$1***'],
  [/(Bearer\s+)[^\s"']+/gi, '$1***'],
  [/("?(?:apiKey|token|secretAccessKey|sessionToken|authorization)"?\s*[:=]\s*"?)[^",\s}]+/gi, '$1***'],
];

export function redactString(s: string): string {
  let out = s;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

/** Deep copy of `value` with every string redacted and secret-named fields masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactString(value.message), stack: value.stack ? redactString(value.stack) : undefined };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = /^(apiKey|token|secret|secretAccessKey|sessionToken|authorization|password)$/i.test(k) ? '***' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
