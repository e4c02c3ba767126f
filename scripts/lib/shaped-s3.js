// A loopback S3 GET endpoint over a local folder (list, head, ranged get) that can behave like a
// real network and a busy S3, shaped by ./shape.js (the same model as the upload sink,
// scripts/bench-sink.js): time to first byte, per-connection and link rate caps, 503 SlowDown,
// connection resets, https.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createShaper, listenShaped, SLOWDOWN_XML } from './shape.js';

export { describeShape, shapeFromArgv } from './shape.js';

/** Starts the endpoint over `root` (objects at root/<key>); resolves with its url, stats and close(). */
export async function startShapedS3(root, shape, tlsDir) {
  const shaper = createShaper(shape);
  const stats = { gets: 0, slowdowns: 0, resets: 0, bytes: 0 };
  const xml = (res, status, body) => res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
  const handler = async (req, res) => {
    await shaper.ttfb(req.socket);
    const url = new URL(req.url, 'http://x');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!key) {
      if (url.searchParams.has('location')) return xml(res, 200, '<LocationConstraint/>');
      const p = url.searchParams.get('prefix') ?? '';
      const dir = join(root, p.slice(0, p.lastIndexOf('/') + 1));
      const keys = existsSync(dir)
        ? readdirSync(dir)
            .map((n) => p.slice(0, p.lastIndexOf('/') + 1) + n)
            .filter((k) => k.startsWith(p) && statSync(join(root, k)).isFile())
        : [];
      const contents = keys
        .map(
          (k) =>
            `<Contents><Key>${k}</Key><Size>${statSync(join(root, k)).size}</Size><ETag>"x${k.length}"</ETag><LastModified>2021-03-01T12:00:00.000Z</LastModified><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join('');
      return xml(
        res,
        200,
        `<ListBucketResult><Name>${bucket}</Name><Prefix>${p}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      );
    }
    const path = join(root, key);
    if (!existsSync(path)) return xml(res, 404, '<Error><Code>NoSuchKey</Code></Error>');
    const size = statSync(path).size;
    const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    const headers = {
      'content-length': end - start + 1,
      etag: `"x${key.length}"`,
      'last-modified': 'Mon, 01 Mar 2021 12:00:00 GMT',
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (m) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    if (req.method === 'HEAD') return res.writeHead(m ? 206 : 200, headers).end();
    stats.gets++;
    const fault = shaper.fault();
    if (fault === 'slowdown') {
      stats.slowdowns++;
      return xml(res, 503, SLOWDOWN_XML);
    }
    const resetAt = fault === 'reset' ? start + Math.floor((end - start + 1) / 2) : Infinity;
    res.writeHead(m ? 206 : 200, headers);
    let at = start;
    for await (const chunk of createReadStream(path, { start, end, highWaterMark: 256 * 1024 })) {
      if (at + chunk.length > resetAt) {
        stats.resets++;
        return req.socket.destroy();
      }
      await shaper.pace(req.socket, chunk.length);
      at += chunk.length;
      stats.bytes += chunk.length;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      if (res.destroyed) return;
    }
    res.end();
  };
  const onRequest = (req, res) => handler(req, res).catch(() => res.destroy());
  const { url, close } = await listenShaped(shape, tlsDir, onRequest);
  return { url, stats, close };
}
