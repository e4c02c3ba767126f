/**
 * Short-lived bearer tokens scoped to one rig: `rpt1.<base64url(JSON payload)>.<base64url(HMAC-SHA256)>`.
 * The MAC covers `rpt1.<payload>`. The format matches the redaction pattern in adapters/log/redact.ts.
 */
import { createHmac } from 'node:crypto';
import { RecpipeError } from '../../core/errors.js';
import { macMatches } from './mac.js';
import { conforms, fieldsOf, int, str } from '../../core/shape.js';

export const TOKEN_PREFIX = 'rpt1';
export const DEFAULT_TOKEN_TTL_SEC = 15 * 60;

export interface TokenPayload {
  rig: string;
  /** Id of the API key the token was issued from (checked on every call). */
  kid: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
}

const mac = (secret: Buffer, data: string) => createHmac('sha256', secret).update(data).digest();

export function signToken(payload: TokenPayload, secret: Buffer): string {
  const body = `${TOKEN_PREFIX}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** Issues a token for `rig` from key `kid`, valid for `ttlSec` from `now`. */
export function issueToken(rig: string, kid: string, now: Date, ttlSec: number, secret: Buffer): { token: string; payload: TokenPayload } {
  const iat = Math.floor(now.getTime() / 1000);
  const payload = { rig, kid, iat, exp: iat + ttlSec };
  return { token: signToken(payload, secret), payload };
}

/** `rpt1.<payload>.<43-char MAC>`: the shape every genuine token has, checked before any I/O. */
const TOKEN_SHAPE = /^rpt1\.[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{43}$/;

/** Whether `token` has the shape of a token at all (cheap, no secret needed). */
export function isTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** A token's payload, checked once its MAC is (not a stored record: it comes back from the client). */
const PAYLOAD = fieldsOf<TokenPayload>()({ rig: str, kid: str, iat: int, exp: int });

const badToken = () => new RecpipeError('auth', 'invalid token', { hint: 'authenticate again with your API key (POST /v1/auth)' });

/**
 * Checks the MAC in constant time (its canonical spelling only), then the expiry. Throws RecpipeError('auth') for anything
 * malformed or forged, RecpipeError('token_expired') for a genuine but expired token.
 */
export function verifyToken(token: string, secret: Buffer, now: Date): TokenPayload {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX || !/^[A-Za-z0-9_-]+$/.test(parts[1]) || !/^[A-Za-z0-9_-]+$/.test(parts[2])) throw badToken();
  // The MAC covers the payload's text, so the payload has one spelling; the MAC's own must be canonical (mac.ts).
  if (!macMatches(parts[2], mac(secret, `${parts[0]}.${parts[1]}`))) throw badToken();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
  } catch {
    throw badToken();
  }
  if (!conforms(PAYLOAD, payload)) throw badToken();
  if (Math.floor(now.getTime() / 1000) >= payload.exp) {
    throw new RecpipeError('token_expired', 'token expired', { hint: 'authenticate again with your API key', retryable: true });
  }
  return payload;
}
