/**
 * Serves an ApiRouter over HTTP on loopback (node:http, keep-alive). The body is read up to a
 * limit (larger requests get 400 without reading the rest); `close()` also closes idle
 * keep-alive sockets so tests and `local up` exit promptly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiErrorBody } from '../core/api.js';
import { MAX_BODY_BYTES, type ApiRouter } from '../backend/http/types.js';

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  host?: string;
  maxBodyBytes?: number;
}

export async function startApiServer(router: ApiRouter, options: ApiServerOptions = {}): Promise<ApiServer> {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const server = createServer({ keepAlive: true }, (req, res) => {
    void handle(router, req, res, limit);
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running get a moment to finish, then their sockets go too.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}

async function handle(router: ApiRouter, req: IncomingMessage, res: ServerResponse, limit: number): Promise<void> {
  try {
    const body = await readBody(req, limit);
    if (body === undefined) {
      const error: ApiErrorBody = { error: { code: 'usage', message: `request body is larger than ${limit} bytes`, retryable: false } };
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(JSON.stringify(error));
      return;
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const out = await router({ method: req.method ?? 'GET', path: url.pathname, headers, body });
    res.writeHead(out.status, out.headers).end(out.body);
  } catch {
    // The router answers every error itself; this is only a broken socket or a router bug.
    if (!res.headersSent)
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":{"code":"internal","message":"internal error"}}');
    else res.destroy();
  }
}

/** The body as UTF-8 text, or undefined when it exceeds `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
