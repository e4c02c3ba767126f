#!/usr/bin/env node
// A loopback S3 "sink" for benchmarks: speaks enough of the S3 protocol for recpipe, rclone
// and the AWS CLI (put, multipart, head, list, small gets) and throws bodies away, so the
// client is what gets measured (plus the MD5 of single PUTs, which S3 computes too). Not a store: only objects under 1 MiB keep their bytes.
// Takes the network-shaping flags of scripts/lib/shape.js (--ttfb-ms, --conn-mbps, --link-mbps,
// --slowdown-share, --reset-share, --tls): the body of each PUT is read at the paced rate (TCP
// backpressure slows the sender), the answer waits the time to first byte, a share of PUTs
// (single or part) is answered 503 SlowDown once its body is read, and a share of connections is
// reset half-way through a body.
// Prints `{"port": N, "url": U}` on stdout when ready. POST /__reset forgets everything and
// answers what was received and the fault counts.
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createShaper, listenShaped, shapeFromArgv, SLOWDOWN_XML } from './lib/shape.js';

const shape = shapeFromArgv(process.argv);
const shaper = createShaper(shape);

const objects = new Map(); // "bucket/key" -> { size, etag, body? }
const uploads = new Map(); // uploadId -> Map(partNumber -> size)
let received = 0;
// Object PUT bodies being received at once, and the most since the last reset: each tool's parallelism.
let active = 0;
let peak = 0;

const xml = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
const etag = () => `"${randomBytes(16).toString('hex')}"`;

// Like S3, a single PUT's ETag is the MD5 of its body (rclone checks it); parts get random ETags.
// `shaped`: an object body, read at the modelled rate and perhaps cut half-way (resolves undefined).
async function drain(req, keep, md5 = false, shaped = false) {
  const chunks = [];
  const h = md5 ? createHash('md5') : undefined;
  const length = Number(req.headers['content-length'] ?? 0);
  const fault = shaped ? shaper.fault() : undefined;
  const resetAt = fault === 'reset' ? Math.floor(length / 2) : Infinity;
  let size = 0;
  if (shaped) peak = Math.max(peak, ++active);
  try {
    for await (const c of req) {
      if (size + c.length > resetAt) {
        shaper.stats.resets++;
        req.socket.destroy();
        return undefined;
      }
      if (shaped) await shaper.pace(req.socket, c.length);
      size += c.length;
      h?.update(c);
      if (keep && size <= 1024 * 1024) chunks.push(c);
    }
  } finally {
    if (shaped) active--;
  }
  if (fault !== 'slowdown') received += size;
  return { slowdown: fault === 'slowdown', size, body: keep && size <= 1024 * 1024 ? Buffer.concat(chunks) : undefined, md5: h?.digest('hex') };
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://sink');
  const [, bucket, ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const id = `${bucket}/${key}`;
  const q = url.searchParams;
  try {
    if (url.pathname === '/__reset') {
      objects.clear();
      uploads.clear();
      const r = received;
      received = 0;
      await drain(req, false);
      const faults = { ...shaper.stats };
      Object.assign(shaper.stats, { requests: 0, slowdowns: 0, resets: 0, bytes: 0 });
      const p = peak;
      peak = 0;
      const c = connections;
      connections = 0;
      return xml(res, 200, JSON.stringify({ received: r, peakPuts: p, connections: c, ...faults }));
    }
    await shaper.ttfb(req.socket);
    if (!key) {
      await drain(req, false);
      if (req.method === 'GET' && q.has('location')) return xml(res, 200, '<LocationConstraint/>');
      if (req.method === 'GET') {
        const prefix = q.get('prefix') ?? '';
        const items = [...objects].filter(([k]) => k.startsWith(`${bucket}/${prefix}`));
        const contents = items
          .map(
            ([k, o]) =>
              `<Contents><Key>${k.slice(bucket.length + 1)}</Key><Size>${o.size}</Size><ETag>${o.etag}</ETag><LastModified>${new Date().toISOString()}</LastModified></Contents>`,
          )
          .join('');
        return xml(
          res,
          200,
          `<ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${items.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
        );
      }
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      const r = await drain(req, false, false, true);
      if (!r) return;
      if (r.slowdown) return xml(res, 503, SLOWDOWN_XML);
      const { size } = r;
      uploads.get(q.get('uploadId'))?.set(Number(q.get('partNumber')), size);
      res.writeHead(200, { etag: etag() }).end();
      return;
    }
    if (req.method === 'PUT') {
      if (req.headers['if-none-match'] === '*' && objects.has(id)) {
        await drain(req, false);
        return xml(res, 412, '<Error><Code>PreconditionFailed</Code><Message>exists</Message></Error>');
      }
      const r = await drain(req, true, true, true);
      if (!r) return;
      if (r.slowdown) return xml(res, 503, SLOWDOWN_XML);
      const { size, body, md5 } = r;
      const e = `"${md5}"`;
      objects.set(id, { size, etag: e, body });
      res.writeHead(200, { etag: e }).end();
      return;
    }
    if (req.method === 'POST' && q.has('uploads')) {
      await drain(req, false);
      const uploadId = randomBytes(12).toString('hex');
      uploads.set(uploadId, new Map());
      return xml(
        res,
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      await drain(req, false);
      const parts = uploads.get(q.get('uploadId')) ?? new Map();
      const e = etag();
      objects.set(id, { size: [...parts.values()].reduce((a, b) => a + b, 0), etag: e });
      uploads.delete(q.get('uploadId'));
      return xml(res, 200, `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>${e}</ETag></CompleteMultipartUploadResult>`);
    }
    await drain(req, false);
    const o = objects.get(id);
    if (req.method === 'HEAD') {
      // With its length, as S3 answers: without one, Node's server closes the connection after
      // the answer, and every client HEAD of a missing key paid a new connection.
      if (!o) return res.writeHead(404, { 'content-type': 'application/xml', 'content-length': 0 }).end();
      res.writeHead(200, { 'content-length': o.size, etag: o.etag, 'last-modified': new Date().toUTCString() }).end();
      return;
    }
    if (req.method === 'GET') {
      if (!o || !o.body) return xml(res, 404, '<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
      res.writeHead(200, { 'content-length': o.body.length, etag: o.etag, 'last-modified': new Date().toUTCString() }).end(o.body);
      return;
    }
    if (req.method === 'DELETE') {
      objects.delete(id);
      return res.writeHead(204).end();
    }
    xml(res, 501, '<Error><Code>NotImplemented</Code><Message>sink</Message></Error>');
  } catch (e) {
    if (!res.headersSent) xml(res, 500, `<Error><Code>InternalError</Code><Message>${e.message}</Message></Error>`);
  }
}

const tlsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'tls');
const { url, server } = await listenShaped(shape, tlsDir, (req, res) => void handle(req, res), Number(process.env.SINK_PORT ?? 0));
// New connections since the last stats call (a client that does not reuse its connections pays a handshake for each).
let connections = 0;
server.on('connection', () => connections++);
process.stdout.write(JSON.stringify({ port: server.address().port, url }) + '\n');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
