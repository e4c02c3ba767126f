/**
 * IngestApi as requests to the API's router. `RoutedIngestApi` holds the one mapping of the
 * port's methods to routes and of answers back to results or RecpipeErrors; subclasses only
 * carry the request: HttpIngestApi over HTTP (fetch), DirectIngestApi (src/ingest/direct-api.ts)
 * to the router in this process. API errors come back as RecpipeErrors with the server's code;
 * network failures and 5xx/429 are `unavailable` and retryable.
 */
import { API_ROUTES, type ApiErrorBody, type AuthResponse, type ClientEvent, type CommitResponse, type CompleteMultipartRequest, type CompleteMultipartResponse, type PresignPartRequest, type PresignPutRequest, type PresignedRequest, type SessionState, type StartMultipartRequest, type StartMultipartResponse } from '../../core/api.js';
import { RecpipeError, type ErrorCode } from '../../core/errors.js';
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
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    let err: ApiErrorBody['error'] | undefined;
    try {
      err = (JSON.parse(text) as ApiErrorBody).error;
    } catch {
      err = undefined;
    }
    const retryable = status >= 500 || status === 429;
    const code: ErrorCode = err?.code ?? (retryable ? 'unavailable' : 'failed');
    throw new RecpipeError(retryable && code === 'internal' ? 'unavailable' : code, err?.message ?? `API ${method} ${path} answered ${status}`, {
      hint: err?.hint,
      retryable: retryable || err?.retryable === true || code === 'token_expired',
      details: { status, ...(err?.details ?? {}), requestId: err?.requestId },
    });
  }
}

export class HttpIngestApi extends RoutedIngestApi {
  constructor(private readonly baseUrl: string, private readonly timeoutMs = 30_000) {
    super();
  }

  protected async exchange(req: ApiExchange): Promise<{ status: number; text: string }> {
    const url = this.baseUrl.replace(/\/$/, '') + req.path;
    let res: Response;
    try {
      res = await fetch(url, {
        method: req.method,
        headers: req.headers,
        body: req.method === 'GET' ? undefined : req.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new RecpipeError('unavailable', `cannot reach the recpipe API at ${this.baseUrl}: ${(e as Error).cause ? String(((e as Error).cause as Error).message ?? (e as Error).cause) : (e as Error).message}`, {
        retryable: true,
        cause: e,
        hint: 'check the network and that the API (or `recpipe local up`) is running; uploads resume where they stopped',
      });
    }
    return { status: res.status, text: await res.text() };
  }
}
