/**
 * The one HTTP mapping of the ingestion API, shared by the local server and the Lambdas:
 * route -> authenticate (every route but /v1/auth) -> parse JSON -> handler -> JSON response.
 * Errors become ApiErrorBody with the status of their code; unknown errors are logged with their
 * stack under a request id and answered with a generic 500. Bodies and headers are never logged.
 */
import { randomUUID } from 'node:crypto';
import { API_ROUTES } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { authorize } from '../auth/authenticator.js';
import { isTokenShaped } from '../auth/tokens.js';
import type { ApiDeps } from '../deps.js';
import { authenticate } from '../handlers/authenticate.js';
import { errorBody } from './errors.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.js';
import { matchPath, ROUTES } from './routes.js';
import { MAX_BODY_BYTES, type ApiRequest, type ApiResponse, type ApiRouter } from './types.js';

export type { ApiRequest, ApiResponse, ApiRouter } from './types.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function createApiRouter(deps: ApiDeps): ApiRouter {
  return async (req) => {
    const requestId = randomUUID();
    const started = Date.now();
    const logger = deps.logger.child({ requestId });
    let route = 'unknown';
    let rig: string | undefined;
    let response: ApiResponse;
    try {
      const method = req.method.toUpperCase();
      if (req.path === API_ROUTES.auth) {
        route = 'authenticate';
        if (method !== 'POST') throw notFound(req);
        const result = await authenticate(deps, parseBody(req));
        rig = result.rig;
        response = reply(200, result, requestId);
      } else {
        const found = findRoute(method, req.path);
        if (!found) throw notFound(req);
        route = found.route.name;
        const principal = await authorize(deps, bearer(req));
        rig = principal.rig;
        const body = method === 'GET' ? undefined : parseBody(req);
        const ctx = { deps, rig, requestId, logger: logger.child({ rig, route }), params: found.params };
        response = reply(200, await found.route.handler(ctx, body), requestId);
      }
    } catch (e) {
      const { status, body } = errorBody(e, requestId);
      if (status === 500) logger.log('error', 'api.crashed', { route, error: e instanceof Error ? e : String(e) });
      response = reply(status, body, requestId);
    }
    logger.log(response.status >= 500 ? 'error' : 'info', 'api.request', { method: req.method, route, status: response.status, rig, ms: Date.now() - started });
    return response;
  };
}

function findRoute(method: string, path: string) {
  for (const route of ROUTES) {
    let params: Record<string, string> | undefined;
    try {
      params = matchPath(route.pattern, path);
    } catch {
      throw new RecpipeError('usage', `invalid request path ${JSON.stringify(path.slice(0, 200))}: bad percent-encoding`);
    }
    if (params && route.method === method) return { route, params };
  }
  return undefined;
}

function bearer(req: ApiRequest): string {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new RecpipeError('auth', 'missing bearer token', { hint: 'authenticate (POST /v1/auth) and send Authorization: Bearer <token>' });
  // Malformed credentials are refused here, before the token secret or the key store is read.
  if (!isTokenShaped(m[1])) throw new RecpipeError('auth', 'invalid token', { hint: 'authenticate again with your API key (POST /v1/auth)' });
  return m[1];
}

function parseBody(req: ApiRequest): unknown {
  if (Buffer.byteLength(req.body, 'utf8') > MAX_BODY_BYTES) {
    throw new RecpipeError('usage', `request body is larger than ${MAX_BODY_BYTES} bytes`, { hint: 'send fewer events or parts per request' });
  }
  if (jsonDepthExceeds(req.body)) {
    throw new RecpipeError('usage', `request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      hint: 'send the flat JSON objects of the API contract (src/core/api.ts)',
      retryable: false,
    });
  }
  try {
    return JSON.parse(req.body);
  } catch {
    throw new RecpipeError('usage', 'request body is not valid JSON', { hint: 'send a JSON object with Content-Type: application/json' });
  }
}

const notFound = (req: ApiRequest) =>
  new RecpipeError('not_found', `no route ${req.method.toUpperCase()} ${JSON.stringify(req.path.slice(0, 200))}`, {
    hint: 'see the routes in src/core/api.ts',
  });

function reply(status: number, body: unknown, requestId: string): ApiResponse {
  return { status, headers: { ...JSON_HEADERS, 'x-request-id': requestId }, body: JSON.stringify(body) };
}
