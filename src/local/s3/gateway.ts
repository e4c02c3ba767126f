/**
 * The verifying gateway in front of s3rver. For the requests recpipe makes it enforces what S3
 * enforces on AWS and s3rver does not: SigV4 signatures and expiry, no unsigned x-amz-*
 * headers, signed checksums and lengths, Content-MD5 or a checksum on every raw-bucket write
 * (the Object Lock rule), conditional writes (If-None-Match, If-Match), a write-once raw bucket with no
 * deletes, and multipart part checks. It also emits object-created events like S3
 * notifications, counts bytes and injects faults for tests.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import { verifySigV4, type SigV4Credentials } from './sigv4.js';
import { encodeEventKey, parseCompleteParts, sendS3Error } from './xml.js';
import type { FaultInjector } from './faults.js';
import { spoolBody } from './spool.js';
import { headUpstream, pipeResponse, readAll, sendUpstream, upstreamHeaders, type Upstream } from './upstream.js';
import type { GatewayStats } from './stats.js';
import { KeyLocks } from './key-locks.js';
import { listObjectsV2 } from './list-v2.js';
import { listMultipartUploads } from './list-uploads.js';
import { faultyBody } from './response-faults.js';
import { operationOf } from './operation.js';
import { compositeChecksum, type ChecksumStore } from './checksum-store.js';
import type { PartRecord, PartStore } from './part-store.js';
import type { WriteIntents } from './write-intents.js';
import { crc32cBase64 } from './spool.js';
import { createHash } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';

export interface GatewayOptions {
  upstream: Upstream;
  credentials: SigV4Credentials;
  buckets: { raw: string; lake: string };
  minPartSize: number;
  tmpDir: string;
  events: EventEmitter;
  faults: FaultInjector;
  stats: GatewayStats;
  checksums: ChecksumStore;
  parts: PartStore;
  intents: WriteIntents;
  now?: () => number;
}

interface Parsed {
  method: string;
  rawPath: string;
  query: [string, string][];
  bucket: string;
  key: string;
  upstreamPath: string;
}

/** Headers carrying a checksum value (not -mode or -algorithm). */
const CHECKSUM_VALUE = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

const NOT_IMPLEMENTED = ['versioning', 'object-lock', 'policy', 'lifecycle', 'versions', 'retention', 'legal-hold'];

function parse(req: IncomingMessage): Parsed {
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  const rawPath = qi < 0 ? url : url.slice(0, qi);
  const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
  const pieces = rawQuery.split('&').filter(Boolean);
  const query = pieces.map((p) => {
    const eq = p.indexOf('=');
    return [decodeURIComponent(eq < 0 ? p : p.slice(0, eq)), eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1))] as [string, string];
  });
  const kept = pieces.filter((p) => !/^X-Amz-/i.test(p));
  const [, bucket = '', ...rest] = rawPath.split('/');
  return {
    method: req.method ?? 'GET',
    rawPath,
    query,
    bucket: decodeURIComponent(bucket),
    key: decodeURIComponent(rest.join('/')),
    upstreamPath: rawPath + (kept.length ? '?' + kept.join('&') : ''),
  };
}

export function createGateway(o: GatewayOptions): Server {
  const now = o.now ?? Date.now;
  const locks = new KeyLocks();
  const parts = o.parts;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = parse(req);
    const q = new Map(p.query);
    const partNumber = q.has('partNumber') ? Number(q.get('partNumber')) : undefined;
    const operation = operationOf(p.method, p.key, q);
    const fault = o.faults.take({ method: p.method, bucket: p.bucket, key: p.key, operation, partNumber });
    if (fault?.type === 'delay') await o.faults.sleep(fault.ms);
    if (fault?.type === 'status') return reject(req, res, fault.status, fault.code, 'injected fault', p.key);
    const auth = verifySigV4({ method: p.method, rawPath: p.rawPath, query: p.query, headers: req.headers }, o.credentials, now());
    if (!auth.ok) return reject(req, res, auth.status, auth.code, auth.message, p.key);
    o.stats.count(p.method, p.bucket, operation);
    if (/aws-chunked/.test(String(req.headers['content-encoding'] ?? '')) || auth.payloadHash.startsWith('STREAMING-')) {
      return reject(req, res, 400, 'InvalidRequest', 'aws-chunked bodies are not accepted here: set requestChecksumCalculation to WHEN_REQUIRED', p.key);
    }
    const raw = p.bucket === o.buckets.raw;
    if (NOT_IMPLEMENTED.some((n) => q.has(n)) || (p.method === 'GET' && q.has('uploadId'))) {
      return reject(req, res, 501, 'NotImplemented', 'the local stack does not implement this operation', p.key);
    }
    if (raw && (p.method === 'DELETE' || (p.method === 'POST' && q.has('delete')))) {
      return reject(req, res, 403, 'AccessDenied', `deletes are denied on the raw bucket ${p.bucket}`, p.key);
    }
    if (p.method === 'DELETE' && q.has('uploadId')) {
      // AbortMultipartUpload (s3rver has none): the upload stops being listed or completable.
      await parts.end(q.get('uploadId')!);
      res.writeHead(204).end();
      return;
    }
    if (p.method === 'PUT' && p.key && !q.has('acl') && !q.has('tagging'))
      return putObject(req, res, p, partNumber, q.get('uploadId'), auth.payloadHash, fault);
    if (p.method === 'GET' && !p.key && q.get('list-type') === '2') return listObjectsV2(o.upstream, p.bucket, q, res);
    if (p.method === 'GET' && !p.key && q.has('uploads')) return listMultipartUploads(parts, p.bucket, q, res);
    const body = p.method === 'POST' || p.method === 'PUT' ? await readAll(req) : undefined;
    if (body && /^[0-9a-f]{64}$/.test(auth.payloadHash) && createHash('sha256').update(body).digest('hex') !== auth.payloadHash) {
      return sendS3Error(res, 400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.', p.key);
    }
    if (p.method === 'POST' && q.has('uploadId')) return completeMultipart(req, res, p, q.get('uploadId')!, body!, fault);
    if (operation === 'GetObject' || operation === 'HeadObject') {
      // s3rver rewrites an object's file in place: a read racing a write of the same key could
      // see a truncated body under the old length (the client then waits forever). Reads and
      // writes of one key take turns, so a read sees the old object or the new one, as on S3.
      return locks.run(`${p.bucket}/${p.key}`, async () => {
        const up = await sendUpstream(o.upstream, p.method, p.upstreamPath, upstreamHeaders(req.headers, true), undefined);
        const wantSums = up.statusCode === 200 && String(req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
        const out = operation === 'GetObject' ? faultyBody(up, res, fault) : up;
        await pipeResponse(up, res, wantSums ? await o.checksums.headers(p.bucket, p.key, String(up.headers.etag ?? '')) : {}, out);
      });
    }
    const up = await sendUpstream(o.upstream, p.method, p.upstreamPath, upstreamHeaders(req.headers, true), body);
    if (p.method === 'POST' && q.has('uploads') && up.statusCode === 200) {
      const xml = (await readAll(up)).toString('utf8');
      const id = /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1];
      if (id) await parts.begin(id, { bucket: p.bucket, key: p.key, initiated: new Date(now()) });
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
      return;
    }
    await pipeResponse(up, res);
  }

  /** Composite checksums of a completed upload, for the algorithms its parts listed. */
  function composite(listed: ReturnType<typeof parseCompleteParts>, known: Map<number, PartRecord> | undefined) {
    const got = listed.map((l) => known?.get(l.partNumber));
    if (got.some((g) => !g)) return {};
    return {
      crc32c: listed.every((l) => l.crc32c)
        ? compositeChecksum(
            got.map((g) => g!.crc32c),
            (b) => crc32cBase64(crc32c(b)),
          )
        : undefined,
      sha256:
        listed.every((l) => l.sha256) && got.every((g) => g!.sha256)
          ? compositeChecksum(
              got.map((g) => g!.sha256!),
              (b) => createHash('sha256').update(b).digest('base64'),
            )
          : undefined,
    };
  }

  async function putObject(
    req: IncomingMessage,
    res: ServerResponse,
    p: Parsed,
    partNumber: number | undefined,
    uploadId: string | undefined,
    payloadHash: string,
    fault: ReturnType<FaultInjector['take']>,
  ): Promise<void> {
    const declared = req.headers['content-length'];
    if (declared === undefined) return reject(req, res, 411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.', p.key);
    const length = Number(declared);
    const dropAt = fault?.type === 'drop-after-bytes' ? fault.bytes : Infinity;
    const token = {};
    const flipAt = fault?.type === 'flip-byte' ? fault.offset : undefined;
    const unsupported = Object.keys(req.headers).find((h) => /^x-amz-checksum-(?!sha256$|crc32c$|crc32$|mode$|algorithm$)/.test(h));
    if (unsupported)
      return reject(req, res, 501, 'NotImplemented', `the local gateway cannot verify ${unsupported}: use x-amz-checksum-sha256 or -crc32c`, p.key);
    if (partNumber !== undefined && uploadId && !(await parts.has(uploadId)))
      return reject(
        req,
        res,
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        p.key,
      );
    if (p.bucket === o.buckets.raw && !req.headers['content-md5'] && !Object.keys(req.headers).some((h) => CHECKSUM_VALUE.test(h))) {
      return reject(
        req,
        res,
        400,
        'InvalidRequest',
        'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
        p.key,
      );
    }
    const wantMd5 = req.headers['content-md5'];
    const wantCrc32 = req.headers['x-amz-checksum-crc32'];
    const body = await spoolBody(
      req,
      o.tmpDir,
      flipAt,
      (n) => {
        o.stats.received(p.bucket, n, token, p.key);
        if (n >= dropAt) {
          req.socket.destroy();
          return false;
        }
        return true;
      },
      { sha256: !!req.headers['x-amz-checksum-sha256'] || /^[0-9a-f]{64}$/.test(payloadHash), md5: !!wantMd5, crc32: !!wantCrc32 },
    );
    if (!body) {
      // Cut short on purpose (a drop fault) or by the client: nobody to answer. Otherwise the
      // gateway itself failed to keep the body (disk full): say so.
      if (!req.socket.destroyed && !res.headersSent) sendS3Error(res, 500, 'InternalError', 'the gateway could not keep the request body', p.key);
      return;
    }
    try {
      if (body.size !== length)
        return sendS3Error(
          res,
          400,
          'IncompleteBody',
          `You did not provide the number of bytes specified by the Content-Length HTTP header (${body.size} of ${length})`,
          p.key,
        );
      if (/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== body.sha256Hex)
        return sendS3Error(res, 400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.', p.key);
      const wantSha = req.headers['x-amz-checksum-sha256'];
      const wantCrc = req.headers['x-amz-checksum-crc32c'];
      if ((wantSha && wantSha !== body.sha256B64) || (wantCrc && wantCrc !== body.crc32c)) {
        return sendS3Error(res, 400, 'BadDigest', `The ${wantSha ? 'SHA256' : 'CRC32C'} you specified did not match the calculated checksum.`, p.key);
      }
      if (wantCrc32 && wantCrc32 !== body.crc32)
        return sendS3Error(res, 400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.', p.key);
      if (wantMd5 && wantMd5 !== body.md5B64) return sendS3Error(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', p.key);
      const extra: Record<string, string> = {};
      if (wantSha) extra['x-amz-checksum-sha256'] = body.sha256B64!;
      if (wantCrc) extra['x-amz-checksum-crc32c'] = body.crc32c;
      const headers = { ...upstreamHeaders(req.headers, false), 'content-length': String(body.size) };
      if (partNumber !== undefined && uploadId) {
        const up = await sendUpstream(o.upstream, 'PUT', p.upstreamPath, headers, createReadStream(body.path));
        if (up.statusCode === 200) await parts.set(uploadId, partNumber, { size: body.size, crc32c: body.crc32c, sha256: body.sha256B64 });
        return pipeResponse(up, res, extra);
      }
      await locks.run(`${p.bucket}/${p.key}`, async () => {
        const pre = await precondition(req, p);
        if (pre) return sendS3Error(res, 412, 'PreconditionFailed', pre, p.key);
        const done = await o.intents.begin(p.bucket, p.key);
        const up = await sendUpstream(o.upstream, 'PUT', p.upstreamPath, headers, createReadStream(body.path));
        const ok = up.statusCode === 200;
        if (ok)
          await o.checksums.set(p.bucket, p.key, String(up.headers.etag ?? ''), {
            sha256: extra['x-amz-checksum-sha256'],
            crc32c: extra['x-amz-checksum-crc32c'],
          });
        await done();
        if (ok) created(p, body.size, String(up.headers.etag ?? ''));
        if (ok && fault?.type === 'drop-response') {
          up.resume();
          res.destroy();
          return;
        }
        await pipeResponse(up, res, extra);
      });
    } finally {
      await body.discard();
    }
  }

  /** Undefined when the write may go ahead, else why not. */
  async function precondition(req: IncomingMessage, p: Parsed): Promise<string | undefined> {
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    const raw = p.bucket === o.buckets.raw;
    if (!ifNoneMatch && !ifMatch && !raw) return undefined;
    const current = await headUpstream(o.upstream, p.rawPath);
    if (current && (ifNoneMatch === '*' || raw))
      return 'At least one of the pre-conditions you specified did not hold (the object exists and this bucket is write-once or If-None-Match: * was given)';
    if (ifMatch && (!current || current.etag.replace(/"/g, '') !== String(ifMatch).replace(/"/g, '')))
      return 'At least one of the pre-conditions you specified did not hold (If-Match)';
    return undefined;
  }

  async function completeMultipart(
    req: IncomingMessage,
    res: ServerResponse,
    p: Parsed,
    uploadId: string,
    body: Buffer,
    fault: ReturnType<FaultInjector['take']>,
  ): Promise<void> {
    const xml = body.toString('utf8');
    const listed = parseCompleteParts(xml);
    const known = await parts.get(
      uploadId,
      listed.map((l) => l.partNumber),
    );
    // Unknown, malformed, completed or aborted: S3's answer, never handed to s3rver (which would
    // fail with a 500 or take the id as a path).
    if (!known)
      return sendS3Error(
        res,
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        p.key,
      );
    for (const [i, part] of listed.entries()) {
      const got = known?.get(part.partNumber);
      if (known && !got) return sendS3Error(res, 400, 'InvalidPart', `part ${part.partNumber} was never uploaded`, p.key);
      if (got && part.crc32c && got.crc32c !== part.crc32c)
        return sendS3Error(res, 400, 'InvalidPart', `part ${part.partNumber} checksum ${part.crc32c} does not match the uploaded part (${got.crc32c})`, p.key);
      if (got && part.sha256 && got.sha256 !== part.sha256)
        return sendS3Error(res, 400, 'InvalidPart', `part ${part.partNumber} checksum ${part.sha256} does not match the uploaded part (${got.sha256})`, p.key);
      if (got && i < listed.length - 1 && got.size < o.minPartSize)
        return sendS3Error(res, 400, 'EntityTooSmall', `part ${part.partNumber} is ${got.size} bytes, below the minimum ${o.minPartSize}`, p.key);
    }
    await locks.run(`${p.bucket}/${p.key}`, async () => {
      const pre = await precondition(req, p);
      if (pre) return sendS3Error(res, 412, 'PreconditionFailed', pre, p.key);
      const done = await o.intents.begin(p.bucket, p.key);
      const up = await sendUpstream(
        o.upstream,
        'POST',
        p.upstreamPath,
        { ...upstreamHeaders(req.headers, false), 'content-length': String(Buffer.byteLength(xml)) },
        Buffer.from(xml),
      );
      const text = await readAll(up);
      const ok = up.statusCode === 200 && !/<Error>/.test(text.toString('utf8'));
      const head = ok ? await headUpstream(o.upstream, p.rawPath) : undefined;
      if (head) await o.checksums.set(p.bucket, p.key, head.etag, composite(listed, known));
      await done();
      if (ok) {
        await parts.end(uploadId);
        created(p, head?.size ?? 0, head?.etag ?? '');
      }
      if (ok && fault?.type === 'drop-response') {
        res.destroy();
        return;
      }
      res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/xml', 'content-length': text.length });
      res.end(text);
    });
  }

  /**
   * Announces a stored object before the writer hears back, so a client that saw its 200 can
   * count on the event having been emitted. A failing listener is its own problem: the object
   * is stored either way.
   */
  function created(p: Parsed, size: number, etag: string): void {
    try {
      o.events.emit('object-created', { bucket: p.bucket, key: encodeEventKey(p.key), size, etag });
    } catch {
      // see above
    }
  }

  function reject(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, key?: string): void {
    req.resume();
    sendS3Error(res, status, code, message, key);
  }

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((e: Error) => {
      // A request line whose percent-encoding does not decode is the client's error, as on S3.
      if (e instanceof URIError) return reject(req, res, 400, 'InvalidURI', "Couldn't parse the specified URI.");
      sendS3Error(res, 500, 'InternalError', `gateway: ${e.message}`);
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}
