/**
 * SigV4 primitives shared by the local gateway (which verifies signatures) and the pull's
 * URL signer (which makes them). Pure computation over node:crypto.
 */
import { createHash, createHmac } from 'node:crypto';

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** An S3 object key as a path: each segment encoded once, slashes kept. */
export function uriEncodeKey(key: string): string {
  return key.split('/').map(uriEncode).join('/');
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** Query parameters (decoded) in canonical form: encoded, sorted by name then value. */
export function canonicalQuery(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** `2026-11-24T12:00:00.123Z` -> `20261124T120000Z`. */
export function toAmzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The signature (as bytes) of a canonical request, for a `YYYYMMDD/region/service` scope. */
export function signCanonical(secretAccessKey: string, amzDate: string, region: string, service: string, canonicalRequest: string): Buffer {
  return signWithKey(signingKey(secretAccessKey, amzDate.slice(0, 8), region, service), amzDate, region, service, canonicalRequest);
}

/** The derived key of one day, region and service (four HMACs): computed once for many signatures. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secretAccessKey, date), region), service), 'aws4_request');
}

/** The signature of a canonical request under a key from `signingKey` (of `amzDate`'s day). */
export function signWithKey(kSigning: Buffer, amzDate: string, region: string, service: string, canonicalRequest: string): Buffer {
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  return hmac(kSigning, ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n'));
}
