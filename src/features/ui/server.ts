/**
 * The `recpipe ui` HTTP server. Read-only by construction: the route table holds GET handlers
 * only, they call read methods of a UiSource, and every other method is answered 405. Access
 * needs the random token (from the URL once, then an HttpOnly same-site cookie), the Host header
 * must name this server (no DNS rebinding), and pages run no inline script (CSP).
 *
 * Everything is served under a random base path, `/<128 random bits>/`, and the cookie is scoped
 * to it: browsers send cookies to every port of a host, so a cookie with `Path=/` reached any other
 * page served on 127.0.0.1 (issue 26). A page elsewhere would have to know the path to be sent it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecpipeError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { html, page } from './html.js';
import { renderRoute, ROUTES } from './routes.js';
import type { UiSource } from './source.js';
import { loadAssets, type Asset } from './assets.js';

export interface UiServerOptions {
  source: UiSource;
  host: string;
  port: number;
  /** Fixed token for tests; random (192 bits) otherwise. */
  token?: string;
  /** Fixed base path segment for tests; random (128 bits) otherwise. */
  basePath?: string;
  /** With --allow-remote: clients name the machine as they reach it, so any Host is accepted. */
  anyHost?: boolean;
  logger?: Logger;
}

export interface UiServer {
  /** The URL to open, token included. */
  url: string;
  /** Where the pages are, without the token: `http://127.0.0.1:<port>/<base>/` (links resolve against it). */
  base: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The page that sends the browser on to `to` (a path on this server) once the cookie is set. */
const onward = (to: string) =>
  html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content="0;url=${to}" />
        <title>recpipe ui</title>
      </head>
      <body>
        <p><a href="${to}">Continue to the recpipe web view</a></p>
      </body>
    </html> `.text;

export async function startUiServer(o: UiServerOptions): Promise<UiServer> {
  const token = o.token ?? randomBytes(24).toString('hex');
  const prefix = `/${o.basePath ?? randomBytes(16).toString('base64url')}/`;
  const assets = await loadAssets();
  let port = 0;
  const cookieName = () => `recpipe_ui_${port}`;
  const hostName = o.host.includes(':') ? `[${o.host}]` : o.host;
  const allowedHosts = () => new Set([hostName, 'localhost', '127.0.0.1', '[::1]'].map((h) => `${h}:${port}`));

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
    res.end(body);
  };
  const sendPage = (res: ServerResponse, status: number, title: string, text: string) =>
    send(
      res,
      status,
      'text/html; charset=utf-8',
      page(
        title,
        '',
        html`<h1>${title}</h1>
          <p>${text}</p>`,
      ),
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'recpipe ui is read-only: only GET\n', { allow: 'GET, HEAD' });
    if (!o.anyHost && !allowedHosts().has(String(req.headers.host ?? '').toLowerCase()))
      return send(res, 421, 'text/plain; charset=utf-8', 'unexpected Host header\n');
    const url = new URL(req.url ?? '/', `http://${hostName}:${port}`);
    // Nothing outside the base path exists, and nothing there says where it is.
    if (!url.pathname.startsWith(prefix)) return sendPage(res, 404, 'Not found', 'Open the URL that `recpipe ui` printed.');
    const path = `/${url.pathname.slice(prefix.length)}`;
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!same(given, token)) return sendPage(res, 403, 'Wrong token', 'Open the URL that `recpipe ui` printed.');
      url.searchParams.delete('token');
      // Trade the token in the URL for a cookie, and take it out of the address bar. A page that
      // moves on by itself, not a 303: when the browser came from the redirect file (a file://
      // page, another site), a redirect would still be that cross-site navigation and carry no
      // SameSite=Strict cookie; the page's own refresh is a same-site navigation, which does.
      const clean = `${prefix}${path.replace(/^[/\\]+/, '')}${url.search}`;
      return send(res, 200, 'text/html; charset=utf-8', onward(clean), {
        'set-cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=${prefix}`,
      });
    }
    const held = cookie(req, cookieName());
    if (!held || !same(held, token)) return sendPage(res, 403, 'Token needed', 'Open the URL with ?token=… that `recpipe ui` printed when it started.');
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    const asset: Asset | undefined = assets.get(path);
    if (asset) return send(res, 200, asset.type, req.method === 'HEAD' ? '' : asset.body, { 'cache-control': 'private, max-age=300' });
    const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
    if (!route) return sendPage(res, 404, 'Not found', `There is no page ${path}.`);
    try {
      const r = await renderRoute(route, url, o.source);
      if (r.redirect) return send(res, 302, 'text/plain; charset=utf-8', '', { location: r.redirect });
      return send(res, r.status, 'text/html; charset=utf-8', req.method === 'HEAD' ? '' : r.body);
    } catch (e) {
      const usage = isRecpipeError(e) && ['usage', 'invalid_name', 'not_found'].includes(e.code);
      o.logger?.log(usage ? 'info' : 'error', 'ui.request_failed', { path, error: e });
      const hint = isRecpipeError(e) && e.hint ? ` (fix: ${e.hint})` : '';
      return sendPage(res, usage ? 400 : 500, usage ? 'Cannot show this' : 'Something failed', `${(e as Error).message}${hint}`);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      o.logger?.log('error', 'ui.crashed', { error: e as Error });
      if (!res.headersSent) res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://${hostName}:${port}${prefix}`;
  return {
    url: `${base}sessions?token=${token}`,
    base,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
