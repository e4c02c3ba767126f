/**
 * SigV4 verification for the local gateway: recompute the signature of an incoming request,
 * presigned (query string) or header-signed, with the stack's credentials, and compare. s3rver
 * alone checks nothing of this; S3 checks all of it.
 */
import { timingSafeEqual } from 'node:crypto';
import { canonicalQuery, signCanonical, uriEncode } from '../../core/sigv4.js';

export { uriEncode };

export interface IncomingSigned {
  method: string;
  /** The raw path as sent, still URI-encoded (S3 does not normalise it). */
  rawPath: string;
  /** Decoded query parameters, in arrival order. */
  query: [string, string][];
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4Result =
  { ok: true; presigned: boolean; payloadHash: string; signedHeaders: string[] } | { ok: false; status: number; code: string; message: string };

function header(h: IncomingSigned['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20261124T120000Z` -> epoch ms, or NaN. */
export function parseAmzDate(d: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(d);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

export function verifySigV4(req: IncomingSigned, creds: SigV4Credentials, now: number): SigV4Result {
  const q = new Map(req.query);
  const presigned = q.has('X-Amz-Signature');
  let credential: string, signedHeadersRaw: string, signature: string, amzDate: string, payloadHash: string;
  if (presigned) {
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return fail(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256');
    credential = q.get('X-Amz-Credential') ?? '';
    signedHeadersRaw = q.get('X-Amz-SignedHeaders') ?? '';
    signature = q.get('X-Amz-Signature') ?? '';
    amzDate = q.get('X-Amz-Date') ?? '';
    const expires = Number(q.get('X-Amz-Expires'));
    const t = parseAmzDate(amzDate);
    if (!Number.isFinite(t) || !Number.isInteger(expires) || expires < 1 || expires > 604800)
      return fail(400, 'AuthorizationQueryParametersError', 'bad X-Amz-Date or X-Amz-Expires');
    if (now > t + expires * 1000) return fail(403, 'AccessDenied', 'Request has expired');
    if (t - now > 15 * 60_000) return fail(403, 'AccessDenied', 'Request is not yet valid');
    payloadHash = q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  } else {
    const auth = header(req.headers, 'authorization');
    if (!auth) return fail(403, 'AccessDenied', 'Anonymous access is not allowed');
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(auth.trim());
    if (!m) return fail(400, 'AuthorizationHeaderMalformed', 'the Authorization header is malformed');
    [credential, signedHeadersRaw, signature] = [m[1], m[2], m[3]];
    amzDate = header(req.headers, 'x-amz-date') ?? '';
    const t = parseAmzDate(amzDate);
    if (!Number.isFinite(t) || Math.abs(now - t) > 15 * 60_000)
      return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large');
    payloadHash = header(req.headers, 'x-amz-content-sha256') ?? '';
    if (!payloadHash) return fail(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  const [keyId, date, region, service, terminal] = credential.split('/');
  if (keyId !== creds.accessKeyId) return fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (!date || !region || service !== 's3' || terminal !== 'aws4_request' || !amzDate.startsWith(date))
    return fail(400, 'AuthorizationHeaderMalformed', 'bad credential scope');
  const signedHeaders = signedHeadersRaw.split(';');
  if (!signedHeaders.includes('host')) return fail(400, 'AuthorizationHeaderMalformed', 'host must be signed');
  // S3 refuses x-amz-* headers the signature does not cover (presigned or not): otherwise a
  // holder of a presigned PUT could add x-amz-copy-source and turn it into a copy. S3 says so
  // before it compares signatures (test_put_url_metadata_with_sig_s3v4: an unsigned header and a
  // missing signed one answer AccessDenied, not SignatureDoesNotMatch).
  const unsigned = Object.keys(req.headers).filter((h) => h.startsWith('x-amz-') && !signedHeaders.includes(h));
  if (unsigned.length) return fail(403, 'AccessDenied', `There were headers present in the request which were not signed: ${unsigned.join(', ')}`);
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(header(req.headers, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = canonicalQuery(req.query.filter(([k]) => k !== 'X-Amz-Signature'));
  const canonicalRequest = [req.method, req.rawPath, query, canonicalHeaders, signedHeadersRaw, payloadHash].join('\n');
  const expected = signCanonical(creds.secretAccessKey, amzDate, region, service, canonicalRequest);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return { ok: true, presigned, payloadHash, signedHeaders };
}

function fail(status: number, code: string, message: string): SigV4Result {
  return { ok: false, status, code, message };
}
