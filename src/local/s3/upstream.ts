/** Requests from the gateway to the s3rver behind it (unix socket, keep-alive). */
import type { Agent } from 'node:http';
import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** s3rver, reached over a unix socket in a private directory: no TCP port to bypass the gateway. */
export interface Upstream {
  socketPath: string;
  agent: Agent;
}

const DROP = new Set([
  'authorization',
  'host',
  'x-amz-content-sha256',
  'if-none-match',
  'if-match',
  'connection',
  'expect',
  'x-amz-date',
  'x-amz-security-token',
]);

export function upstreamHeaders(h: IncomingHttpHeaders, keepConditional: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || (DROP.has(k) && !(keepConditional && (k === 'if-none-match' || k === 'if-match')))) continue;
    out[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

export function sendUpstream(up: Upstream, method: string, path: string, headers: Record<string, string>, body?: Readable | Buffer): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const r = request({ socketPath: up.socketPath, method, path, headers, agent: up.agent }, resolve);
    r.on('error', reject);
    if (body === undefined) r.end();
    else if (Buffer.isBuffer(body)) r.end(body);
    else {
      body.on('error', (e) => r.destroy(e));
      body.pipe(r);
    }
  });
}

export async function readAll(res: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Copies an upstream response to the client, adding `extra` headers. */
export function pipeResponse(from: IncomingMessage, to: ServerResponse, extra: Record<string, string> = {}, body: Readable = from): Promise<void> {
  const headers = { ...from.headers, ...extra };
  delete headers.connection;
  delete headers['keep-alive'];
  to.writeHead(from.statusCode ?? 502, headers);
  return new Promise<void>((resolve) => {
    // A client that leaves mid-body ends the copy here: Node's pipeline does not always settle
    // then (seen on Node 22 when the response closes while the copy waits for it to drain), and a
    // read that never ends would hold its key's turn (key-locks.ts) for good, so every later read
    // and write of that key would wait forever.
    const onClose = () => {
      if (!to.writableFinished) {
        body.destroy();
        if (body !== from) from.destroy();
      }
      resolve();
    };
    to.once('close', onClose);
    // If the upstream body fails half-way, the client's connection is cut (it retries) rather
    // than left waiting for bytes that will never come.
    pipeline(body, to)
      .catch(() => to.destroy())
      .finally(() => {
        to.off('close', onClose);
        resolve();
      });
  });
}

/** HEAD of an object upstream: undefined when absent. */
export async function headUpstream(up: Upstream, path: string): Promise<{ etag: string; size: number; lastModified: Date } | undefined> {
  const res = await sendUpstream(up, 'HEAD', path, {});
  res.resume();
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) throw new Error(`upstream HEAD ${path} answered ${res.statusCode}`);
  return {
    etag: String(res.headers.etag ?? ''),
    size: Number(res.headers['content-length'] ?? 0),
    lastModified: new Date(String(res.headers['last-modified'] ?? 0)),
  };
}
