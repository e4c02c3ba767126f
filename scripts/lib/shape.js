// Network shaping shared by the benchmark servers (shaped-s3.js for pulls, bench-sink.js for
// uploads), so both model the same link: a wait before each answer (--ttfb-ms), a further wait
// before the first answer on each new connection (--connect-ms: the TCP and TLS handshakes a
// client pays whenever it opens a connection instead of reusing one, 2-3 round trips), a rate cap per
// connection (--conn-mbps) and on the whole link (--link-mbps), both in MB/s (10^6 bytes a
// second), a share of object requests answered "503 SlowDown" (--slowdown-share) and a share
// whose connection is reset half-way through the body (--reset-share), and https (--tls).
// Faults are drawn from a seeded generator, so every tool meets the same sequence.
import { readFileSync } from 'node:fs';
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
  return {
    ttfbMs: arg('ttfb-ms', 0),
    connectMs: arg('connect-ms', 0),
    connMBps: arg('conn-mbps', 0),
    linkMBps: arg('link-mbps', 0),
    slowdownShare: arg('slowdown-share', 0),
    resetShare: arg('reset-share', 0),
    tls: argv.includes('--tls'),
  };
}

/** The shaping flags back as argv (to hand them to a server in another process). */
export function shapeToArgv(s) {
  const out = [];
  for (const [flag, v] of [
    ['ttfb-ms', s.ttfbMs],
    ['connect-ms', s.connectMs],
    ['conn-mbps', s.connMBps],
    ['link-mbps', s.linkMBps],
    ['slowdown-share', s.slowdownShare],
    ['reset-share', s.resetShare],
  ])
    if (v) out.push(`--${flag}`, String(v));
  if (s.tls) out.push('--tls');
  return out;
}

/** One line naming the shape, for benchmark reports. */
export function describeShape(s) {
  const parts = [];
  if (s.ttfbMs) parts.push(`${s.ttfbMs} ms to first byte`);
  if (s.connectMs) parts.push(`${s.connectMs} ms more on a new connection`);
  if (s.connMBps) parts.push(`${s.connMBps} MB/s per connection`);
  if (s.linkMBps) parts.push(`${s.linkMBps} MB/s link`);
  if (s.slowdownShare) parts.push(`${(s.slowdownShare * 100).toFixed(1)} % 503 SlowDown`);
  if (s.resetShare) parts.push(`${(s.resetShare * 100).toFixed(1)} % connections reset`);
  if (s.tls) parts.push('TLS');
  return parts.length ? parts.join(', ') : 'loopback, unshaped';
}

/** True when the shape models a network (anything but plain loopback). */
export const isShaped = (s) => Boolean(s.ttfbMs || s.connectMs || s.connMBps || s.linkMBps || s.slowdownShare || s.resetShare || s.tls);

/**
 * The shaping state of one server: `pace(socket, n)` resolves when `n` more bytes may cross that
 * connection and the link; `ttfb(socket)` waits before an answer (longer for the first one on a
 * connection); `fault()` draws what happens to the
 * next object request ('slowdown', 'reset' or undefined); `stats` counts what was done.
 */
export function createShaper(shape) {
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const link = { t: 0 };
  const stats = { requests: 0, slowdowns: 0, resets: 0, bytes: 0 };
  return {
    stats,
    async ttfb(socket) {
      let ms = shape.ttfbMs;
      if (shape.connectMs && socket && !socket.shapeConnected) {
        socket.shapeConnected = true;
        ms += shape.connectMs;
      }
      if (ms) await sleep(ms);
    },
    async pace(socket, n) {
      const conn = (socket.shapeState ??= { t: 0 });
      const now = performance.now();
      let until = now;
      // A connection (and the link) may catch up on up to 50 ms it fell behind (a token bucket
      // 50 ms deep, as socket buffers allow): on a busy machine the server wakes late from every
      // wait, and without this each late wake-up would lower the modelled rate.
      if (shape.connMBps) until = conn.t = Math.max(now - 50, conn.t) + n / (shape.connMBps * 1000);
      if (shape.linkMBps) until = Math.max(until, (link.t = Math.max(now - 50, link.t) + n / (shape.linkMBps * 1000)));
      stats.bytes += n;
      // Waits of at least 5 ms: the same average rate with a fifth of the timers, so the
      // server itself costs little CPU on a busy machine.
      if (until - now >= 5) await sleep(until - now);
    },
    fault() {
      stats.requests++;
      if (shape.slowdownShare && random() < shape.slowdownShare) {
        stats.slowdowns++;
        return 'slowdown';
      }
      if (shape.resetShare && random() < shape.resetShare) return 'reset';
      return undefined;
    },
  };
}

export const SLOWDOWN_XML = '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

/** An http or https (shape.tls, the test certificate for localhost) server; resolves with its url and close(). */
export async function listenShaped(shape, tlsDir, onRequest, port = 0) {
  const server = shape.tls
    ? createHttps({ key: readFileSync(join(tlsDir, 'key.pem')), cert: readFileSync(join(tlsDir, 'cert.pem')), keepAlive: true }, onRequest)
    : createHttp({ keepAlive: true }, onRequest);
  server.keepAliveTimeout = 30_000;
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const url = `${shape.tls ? 'https://localhost' : 'http://127.0.0.1'}:${server.address().port}`;
  return { url, server, close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) };
}
