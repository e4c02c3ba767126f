/**
 * Turns an API key into a token, and a token back into the rig it may act for. The key is
 * re-checked on every token verification, so revoking a key stops its tokens on the next call.
 */
import { RecpipeError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import { keyMatches, parseApiKey } from '../keys/api-key.js';
import type { KeyStore, SecretProvider } from '../ports.js';
import { issueToken, verifyToken } from './tokens.js';

export interface Principal {
  rig: string;
  kid: string;
}

const badKey = () =>
  new RecpipeError('auth', 'invalid api key', { hint: 'check RECPIPE_API_KEY; an admin can enrol a new one with `recpipe keys create --rig NAME`' });
const revoked = () => new RecpipeError('auth', 'api key revoked', { hint: 'ask an admin for a new key (`recpipe keys create --rig NAME`)' });

export interface AuthDeps {
  keys: KeyStore;
  secrets: SecretProvider;
  clock: Clock;
  tokenTtlSec: number;
}

export async function authenticateKey(deps: AuthDeps, apiKey: string): Promise<{ token: string; rig: string; expiresAt: string }> {
  // The key's shape is checked before the key store is touched.
  const parsed = parseApiKey(apiKey);
  if (!parsed) throw badKey();
  const record = await deps.keys.get(parsed.id);
  // Compare even when the id is unknown, so timing does not reveal which ids exist.
  const matches = keyMatches(apiKey, record?.hash ?? '');
  if (!record || !matches) throw badKey();
  if (record.revokedAt) throw revoked();
  const { token, payload } = issueToken(
    record.rig,
    record.id,
    issueTime(deps.clock.now(), deps.tokenTtlSec),
    deps.tokenTtlSec,
    await deps.secrets.tokenSecret(),
  );
  return { token, rig: record.rig, expiresAt: new Date(payload.exp * 1000).toISOString() };
}

/** Tokens of one key issued within one window are the same token (at most 5 minutes, a third of the lifetime). */
export const tokenWindowSec = (ttlSec: number) => Math.min(300, Math.floor(ttlSec / 3));

/**
 * Issue times are rounded down to the window, so a key gets the same token however often it
 * authenticates within a window. The API's firewall limits requests per token; this makes that a
 * limit per key (at most ceil(lifetime / window) live tokens), not per login.
 */
function issueTime(now: Date, ttlSec: number): Date {
  const windowMs = tokenWindowSec(ttlSec) * 1000;
  return windowMs < 1000 ? now : new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/**
 * Verifies a bearer token and that its key is still enrolled, unrevoked and for the same rig.
 * The router has already refused tokens of the wrong shape (isTokenShaped) without any I/O.
 */
export async function authorize(deps: AuthDeps, token: string): Promise<Principal> {
  const payload = verifyToken(token, await deps.secrets.tokenSecret(), deps.clock.now());
  const record = await deps.keys.get(payload.kid);
  if (!record || record.rig !== payload.rig) throw new RecpipeError('auth', 'invalid token', { hint: 'authenticate again with your API key' });
  if (record.revokedAt) throw revoked();
  return { rig: payload.rig, kid: payload.kid };
}
