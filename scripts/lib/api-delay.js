// A proxy in front of a recpipe API that holds every answer `ms` milliseconds before passing it
// on: the distance to an API in an AWS region (API Gateway + Lambda), which the benchmarks run
// in-process. It counts the calls (per route) and the connections clients open (a client that
// keeps its connection alive opens one), and speaks https when asked (the API is HTTPS on AWS).
import { readFileSync } from 'node:fs';
import { Agent, createServer as createHttp, request } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts the proxy for the API at `target`; resolves with its url, its counts and close(). */
export async function delayedApi(target, { ms = 0, tls = false, tlsDir } = {}) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const calls = new Map();
  let connections = 0;
  const onRequest = (req, res) => {
    const route = req.url.replace(/^\/v1\/sessions\/.*/, '/v1/sessions/{session}');
    calls.set(route, (calls.get(route) ?? 0) + 1);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, agent },
        (answer) => {
          const got = [];
          answer.on('data', (c) => got.push(c));
          answer.on('end', async () => {
            if (ms) await sleep(ms);
            const out = Buffer.concat(got);
            const headers = { ...answer.headers, 'content-length': out.length };
            delete headers['transfer-encoding'];
            delete headers.connection;
            delete headers['keep-alive'];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(out);
          });
        },
      );
      up.on('error', (e) => res.writeHead(502).end(String(e.message)));
      up.end(body);
    });
  };
  const server = tls
    ? createHttps({ key: readFileSync(join(tlsDir, 'key.pem')), cert: readFileSync(join(tlsDir, 'cert.pem')), keepAlive: true }, onRequest)
    : createHttp({ keepAlive: true }, onRequest);
  server.keepAliveTimeout = 30_000;
  server.on(tls ? 'secureConnection' : 'connection', () => connections++);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `${tls ? 'https://localhost' : 'http://127.0.0.1'}:${server.address().port}`;
  return {
    url,
    /** Calls and connections since the last reset, then zeroed. */
    take() {
      const out = { calls: Object.fromEntries(calls), total: [...calls.values()].reduce((a, b) => a + b, 0), connections };
      calls.clear();
      connections = 0;
      return out;
    },
    close: () => (agent.destroy(), server.closeAllConnections(), new Promise((r) => server.close(r))),
  };
}
