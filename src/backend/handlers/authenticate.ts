/** POST /v1/auth: API key -> short-lived token scoped to the key's rig. */
import type { AuthResponse } from '../../core/api.js';
import { authenticateKey } from '../auth/authenticator.js';
import type { ApiDeps } from '../deps.js';
import { object, string } from './schema.js';

export async function authenticate(deps: ApiDeps, body: unknown): Promise<AuthResponse> {
  const apiKey = string(object(body), 'apiKey', 512);
  return authenticateKey(deps, apiKey);
}
