#!/usr/bin/env node
// A loopback S3 "sink" for benchmarks: speaks enough of the S3 protocol for recpipe, rclone
// and the AWS CLI (put, multipart, head, list, small gets) and throws bodies away, so the
// client is what gets measured (plus the MD5 of single PUTs, which S3 computes too). Not a store: only objects under 1 MiB keep their bytes.
// Prints `{"port": N}` on stdout when ready. POST /__reset forgets everything.
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

const objects = new Map(); // "bucket/key" -> { size, etag, body? }
const uploads = new Map(); // uploadId -> Map(partNumber -> size)
let received = 0;

const xml = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
const etag = () => `"${randomBytes(16).toString('hex')}"`;

// Like S3, a single PUT's ETag is the MD5 of its body (rclone checks it); parts get random ETags.
function drain(req, keep, md5 = false) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const h = md5 ? createHash('md5') : undefined;
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      received += c.length;
      h?.update(c);
      if (keep && size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve({ size, body: keep && size <= 1024 * 1024 ? Buffer.concat(chunks) : undefined, md5: h?.digest('hex') }));
    req.on('error', reject);
  });
}

const server = createServer({ keepAlive: true }, async (req, res) => {
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
      return xml(res, 200, JSON.stringify({ received: r }));
    }
    if (!key) {
      await drain(req, false);
      if (req.method === 'GET' && q.has('location')) return xml(res, 200, '<LocationConstraint/>');
      if (req.method === 'GET') {
        const prefix = q.get('prefix') ?? '';
        const items = [...objects].filter(([k]) => k.startsWith(`${bucket}/${prefix}`));
        const contents = items.map(([k, o]) => `<Contents><Key>${k.slice(bucket.length + 1)}</Key><Size>${o.size}</Size><ETag>${o.etag}</ETag><LastModified>${new Date().toISOString()}</LastModified></Contents>`).join('');
        return xml(res, 200, `<ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${items.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
      }
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      const { size } = await drain(req, false);
      uploads.get(q.get('uploadId'))?.set(Number(q.get('partNumber')), size);
      res.writeHead(200, { etag: etag() }).end();
      return;
    }
    if (req.method === 'PUT') {
      if (req.headers['if-none-match'] === '*' && objects.has(id)) {
        await drain(req, false);
        return xml(res, 412, '<Error><Code>PreconditionFailed</Code><Message>exists</Message></Error>');
      }
      const { size, body, md5 } = await drain(req, true, true);
      const e = `"${md5}"`;
      objects.set(id, { size, etag: e, body });
      res.writeHead(200, { etag: e }).end();
      return;
    }
    if (req.method === 'POST' && q.has('uploads')) {
      await drain(req, false);
      const uploadId = randomBytes(12).toString('hex');
      uploads.set(uploadId, new Map());
      return xml(res, 200, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
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
      if (!o) return res.writeHead(404).end();
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
    xml(res, 500, `<Error><Code>InternalError</Code><Message>${e.message}</Message></Error>`);
  }
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.SINK_PORT ?? 0), '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
