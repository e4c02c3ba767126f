// A loopback S3 GET endpoint over a local folder (list, head, ranged get) that can behave like a
// real network and a busy S3: a wait before each answer (--ttfb-ms), a rate cap per connection
// (--conn-mbps) and on the whole link (--link-mbps), both in MB/s (10^6 bytes a second), a share
// of object GETs answered "503 SlowDown" (--slowdown-share) and a share whose connection is reset
// half-way through the body (--reset-share). Faults are drawn from a seeded generator, so every
// tool meets the same sequence. Plain http, or https with --tls (a certificate for localhost).
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Reads the network-shaping flags from argv. */
export function shapeFromArgv(argv) {
  const arg = (n, d) => {
    const i = argv.indexOf(`--${n}`);
    return i > 0 ? Number(argv[i + 1]) : d;
  };
  return { ttfbMs: arg('ttfb-ms', 0), connMBps: arg('conn-mbps', 0), linkMBps: arg('link-mbps', 0), slowdownShare: arg('slowdown-share', 0), resetShare: arg('reset-share', 0), tls: argv.includes('--tls') };
}

export function describeShape(s) {
  const parts = [];
  if (s.ttfbMs) parts.push(`${s.ttfbMs} ms to first byte`);
  if (s.connMBps) parts.push(`${s.connMBps} MB/s per connection`);
  if (s.linkMBps) parts.push(`${s.linkMBps} MB/s link`);
  if (s.slowdownShare) parts.push(`${(s.slowdownShare * 100).toFixed(1)} % 503 SlowDown`);
  if (s.resetShare) parts.push(`${(s.resetShare * 100).toFixed(1)} % connections reset`);
  if (s.tls) parts.push('TLS');
  return parts.length ? parts.join(', ') : 'loopback, unshaped';
}

/** Starts the endpoint over `root` (objects at root/<key>); resolves with its url, stats and close(). */
export async function startShapedS3(root, shape, tlsDir) {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const link = { t: 0 };
  const stats = { gets: 0, slowdowns: 0, resets: 0, bytes: 0 };
  // Reserves `n` bytes of a connection's and the link's capacity; resolves when they may be sent.
  const pace = async (conn, n) => {
    const now = performance.now();
    let until = now;
    if (shape.connMBps) until = conn.t = Math.max(now, conn.t) + n / (shape.connMBps * 1000);
    if (shape.linkMBps) until = Math.max(until, (link.t = Math.max(now, link.t) + n / (shape.linkMBps * 1000)));
    if (until - now >= 1) await sleep(until - now);
  };
  const xml = (res, status, body) => res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
  const handler = async (req, res) => {
    if (shape.ttfbMs) await sleep(shape.ttfbMs);
    const url = new URL(req.url, 'http://x');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!key) {
      if (url.searchParams.has('location')) return xml(res, 200, '<LocationConstraint/>');
      const p = url.searchParams.get('prefix') ?? '';
      const dir = join(root, p.slice(0, p.lastIndexOf('/') + 1));
      const keys = existsSync(dir) ? readdirSync(dir).map((n) => p.slice(0, p.lastIndexOf('/') + 1) + n).filter((k) => k.startsWith(p) && statSync(join(root, k)).isFile()) : [];
      const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>${statSync(join(root, k)).size}</Size><ETag>"x${k.length}"</ETag><LastModified>2021-03-01T12:00:00.000Z</LastModified><StorageClass>STANDARD</StorageClass></Contents>`).join('');
      return xml(res, 200, `<ListBucketResult><Name>${bucket}</Name><Prefix>${p}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
    }
    const path = join(root, key);
    if (!existsSync(path)) return xml(res, 404, '<Error><Code>NoSuchKey</Code></Error>');
    const size = statSync(path).size;
    const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    const headers = { 'content-length': end - start + 1, etag: `"x${key.length}"`, 'last-modified': 'Mon, 01 Mar 2021 12:00:00 GMT', 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (m) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    if (req.method === 'HEAD') return res.writeHead(m ? 206 : 200, headers).end();
    stats.gets++;
    if (shape.slowdownShare && random() < shape.slowdownShare) {
      stats.slowdowns++;
      return xml(res, 503, '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
    }
    const resetAt = shape.resetShare && random() < shape.resetShare ? start + Math.floor((end - start + 1) / 2) : Infinity;
    res.writeHead(m ? 206 : 200, headers);
    const conn = (req.socket.shapeState ??= { t: 0 });
    let at = start;
    for await (const chunk of createReadStream(path, { start, end, highWaterMark: 256 * 1024 })) {
      if (at + chunk.length > resetAt) {
        stats.resets++;
        return req.socket.destroy();
      }
      await pace(conn, chunk.length);
      at += chunk.length;
      stats.bytes += chunk.length;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      if (res.destroyed) return;
    }
    res.end();
  };
  const onRequest = (req, res) => handler(req, res).catch(() => res.destroy());
  const server = shape.tls ? createHttps({ key: readFileSync(join(tlsDir, 'key.pem')), cert: readFileSync(join(tlsDir, 'cert.pem')), keepAlive: true }, onRequest) : createHttp({ keepAlive: true }, onRequest);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `${shape.tls ? 'https://localhost' : 'http://127.0.0.1'}:${server.address().port}`;
  return { url, stats, close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) };
}
