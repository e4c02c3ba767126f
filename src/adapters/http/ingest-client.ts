/**
 * IngestApi as requests to the API's router. `RoutedIngestApi` holds the one mapping of the
 * port's methods to routes and of answers back to results or RecpipeErrors; subclasses only
 * carry the request: HttpIngestApi over HTTP (node:http, keep-alive), DirectIngestApi (src/features/ingest/direct-api.ts)
 * to the router in this process. API errors come back as RecpipeErrors with the server's code;
 * network failures and bare 5xx/429 are `unavailable` and retryable; an API error body's own
 * `retryable` flag decides otherwise.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { anything, bool, conforms, mapOf, obj, opt, str } from '../../core/shape.js';
import {
  API_ROUTES,
  type ApiErrorBody,
  type AuthResponse,
  type ClientEvent,
  type CommitResponse,
  type CompleteMultipartRequest,
  type CompleteMultipartResponse,
  type PresignPartRequest,
  type PresignPutRequest,
  type PresignedRequest,
  type SessionState,
  type StartMultipartRequest,
  type StartMultipartResponse,
} from '../../core/api.js';
import type { UploadBatchRequest, UploadBatchResponse } from '../../core/api-batch.js';
import { EXIT_CODES, RecpipeError, type ErrorCode } from '../../core/errors.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import type { IngestApi } from '../../core/ports.js';

export interface ApiExchange {
  method: 'GET' | 'POST';
  /** Route path, URL-encoded. */
  path: string;
  headers: Record<string, string>;
  /** JSON text; empty for GET. */
  body: string;
}

export abstract class RoutedIngestApi implements IngestApi {
  /** Carries one request and returns the answer's status and body text. */
  protected abstract exchange(req: ApiExchange): Promise<{ status: number; text: string }>;

  authenticate(apiKey: string): Promise<AuthResponse> {
    return this.call('POST', API_ROUTES.auth, undefined, { apiKey });
  }
  sessionState(token: string, session: string): Promise<SessionState> {
    return this.call('GET', API_ROUTES.sessionState.replace('{session}', encodeURIComponent(session)), token);
  }
  presignPut(token: string, req: PresignPutRequest): Promise<PresignedRequest> {
    return this.call('POST', API_ROUTES.presign, token, req);
  }
  startMultipart(token: string, req: StartMultipartRequest): Promise<StartMultipartResponse> {
    return this.call('POST', API_ROUTES.multipartStart, token, req);
  }
  presignPart(token: string, req: PresignPartRequest): Promise<PresignedRequest> {
    return this.call('POST', API_ROUTES.multipartPart, token, req);
  }
  completeMultipart(token: string, req: CompleteMultipartRequest): Promise<CompleteMultipartResponse> {
    return this.call('POST', API_ROUTES.multipartComplete, token, req);
  }
  signBatch(token: string, req: UploadBatchRequest): Promise<UploadBatchResponse> {
    return this.call('POST', API_ROUTES.uploadBatch, token, req);
  }
  commit(token: string, manifest: Manifest): Promise<CommitResponse> {
    return this.call('POST', API_ROUTES.commit, token, { manifest });
  }
  async sendEvents(token: string, events: ClientEvent[]): Promise<void> {
    await this.call('POST', API_ROUTES.events, token, { events });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<T> {
    const { status, text } = await this.exchange({
      method,
      path,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    if (status >= 200 && status < 300) {
      // An answer of our own API (not a stored record), typed by the route (core/api.ts) and pinned by its contract suite.
      const answer: unknown = text ? JSON.parse(text) : {};
      return answer as T;
    }
    let err: ApiErrorBody['error'] | undefined;
    try {
      // Whatever answered (our API, a proxy, a throttle): its body is used only when it is our error body.
      const parsed: unknown = JSON.parse(text);
      err = conforms(ERROR_BODY, parsed) ? { ...parsed.error, code: knownCode(parsed.error.code) } : undefined;
    } catch {
      err = undefined;
    }
    // The API's own error body says whether retrying can help (a spent quota says no); a bare 5xx/429 (a proxy, a
    // throttle, a crashed function) is retried.
    const ours = typeof err?.retryable === 'boolean';
    const retryable = ours ? err!.retryable === true || err!.code === 'token_expired' : status >= 500 || status === 429;
    const code: ErrorCode = err?.code ?? (retryable ? 'unavailable' : 'failed');
    throw new RecpipeError(retryable && code === 'internal' ? 'unavailable' : code, err?.message ?? `API ${method} ${path} answered ${status}`, {
      hint: err?.hint,
      retryable,
      details: { status, ...(err?.details ?? {}), requestId: err?.requestId },
    });
  }
}

/**
 * The API's error body (core/api.ts), checked: another server's 4xx/5xx body is not read as one.
 * A code this client does not know (a newer API) keeps its message and reads as `failed`.
 */
const ERROR_BODY = obj({
  error: obj({ code: str, message: str, hint: opt(str), retryable: opt(bool), details: opt(mapOf(anything)), requestId: opt(str) }),
});
const knownCode = (code: string): ErrorCode => (Object.hasOwn(EXIT_CODES, code) ? (code as ErrorCode) : 'failed');

/**
 * Over HTTP with node:http on keep-alive connections (idle ones do not hold the process open):
 * a distant API costs a TCP (and TLS) handshake only on the first call. Not `fetch`: loading
 * undici cost 20 ms of start-up and each call more CPU than node:http.
 */
export class HttpIngestApi extends RoutedIngestApi {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {
    super();
  }

  protected exchange(req: ApiExchange): Promise<{ status: number; text: string }> {
    const url = new URL(this.baseUrl.replace(/\/$/, '') + req.path);
    const isHttps = url.protocol === 'https:';
    const body = req.method === 'GET' ? undefined : Buffer.from(req.body, 'utf8');
    const unreachable = (e: Error) =>
      new RecpipeError('unavailable', `cannot reach the recpipe API at ${this.baseUrl}: ${e.message}`, {
        retryable: true,
        cause: e,
        hint: 'check the network and that the API (or `recpipe local up`) is running; uploads resume where they stopped',
      });
    return new Promise((resolve, reject) => {
      const headers = body ? { ...req.headers, 'content-length': String(body.length) } : req.headers;
      const r = (isHttps ? httpsRequest : httpRequest)(
        url,
        { method: req.method, headers, agent: isHttps ? this.https : this.http, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e) => reject(unreachable(e)));
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      r.on('error', (e) => reject(unreachable(e)));
      r.end(body);
    });
  }

  /** Closes the idle connections. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
