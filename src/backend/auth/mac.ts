/**
 * The one check of an HMAC carried as base64url text (tokens, upload tickets). A 32-byte MAC is
 * 43 characters whose last carries 2 unused bits, so four strings decode to the same bytes; only
 * the canonical spelling, the one we issued, is accepted. Otherwise one token could be spent as
 * four (WAF's per-token rate limit counts strings, not MACs), and logs could not match a token by text.
 */
import { timingSafeEqual } from 'node:crypto';

/** Whether `given` is exactly the base64url encoding of `expected` (bytes compared in constant time). */
export function macMatches(given: string, expected: Buffer): boolean {
  const got = Buffer.from(given, 'base64url');
  return got.length === expected.length && timingSafeEqual(got, expected) && got.toString('base64url') === given;
}
