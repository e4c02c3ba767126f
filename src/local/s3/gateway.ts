/**
 * The verifying gateway in front of s3rver: the stand-in for S3 that recpipe's local stack
 * talks to, and its security boundary. A request is parsed once, given its fault (tests),
 * authenticated (SigV4: signatures, expiry, no unsigned x-amz-* headers), matched against the one
 * table of request shapes (routes.ts: anything else is 501, never passed to s3rver), checked
 * against that route's AWS rules (rules/), and served by that route's handler, which is given
 * only what it needs (handlers/).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { StoreEvents } from '../../core/events/store-events.js';
import type { ChecksumStore } from './checksum-store.js';
import type { FaultInjector } from './faults.js';
import { abortUpload } from './handlers/abort-upload.js';
import { completeUpload } from './handlers/complete-upload.js';
import { createUpload } from './handlers/create-upload.js';
import { deleteObject, deleteObjects } from './handlers/delete.js';
import type { Announce, Handler } from './handlers/handler.js';
import { listObjects } from './handlers/list-objects.js';
import { listUploads } from './handlers/list-uploads.js';
import { objectWriter } from './handlers/object-writer.js';
import { putObject } from './handlers/put-object.js';
import { readObject } from './handlers/read-object.js';
import { uploadPart } from './handlers/upload-part.js';
import { KeyLocks } from './key-locks.js';
import type { PartStore } from './part-store.js';
import { parseRequest, refuse, type S3Request } from './request.js';
import { routeOf, unservedShape, type ServedOperation } from './routes.js';
import { failure } from './rules/failure.js';
import type { KeyLimits } from './rules/key.js';
import { chunkedProblem, lengthProblem } from './rules/request-shape.js';
import { verifySigV4, type SigV4Credentials } from './sigv4.js';
import type { GatewayStats } from './stats.js';
import type { Upstream } from './upstream.js';
import type { WriteIntents } from './write-intents.js';
import { encodeEventKey, sendS3Error } from './xml.js';

/** What the gateway needs: s3rver, the credentials it checks, its stores and test hooks. */
export interface GatewayOptions {
  upstream: Upstream;
  credentials: SigV4Credentials;
  buckets: { raw: string; lake: string };
  minPartSize: number;
  /** The store's file-name limit (rules/key.ts). */
  limits: KeyLimits;
  tmpDir: string;
  events: StoreEvents;
  faults: FaultInjector;
  stats: GatewayStats;
  checksums: ChecksumStore;
  parts: PartStore;
  intents: WriteIntents;
  now?: () => number;
}

/** Builds each served operation's handler with only the dependencies it needs. */
function handlers(o: GatewayOptions, now: () => number): Record<ServedOperation, Handler> {
  const locks = new KeyLocks();
  const { upstream, parts, checksums } = o;
  const spool = { tmpDir: o.tmpDir, stats: o.stats };
  // A failing listener is its own problem: the object is stored either way (the emitter isolates it).
  const announce: Announce = (bucket, key, size, etag) => void o.events.emit('object-created', { bucket, key: encodeEventKey(key), size, etag });
  const write = objectWriter({ upstream, locks, intents: o.intents, checksums, announce });
  const read = readObject({ upstream, locks, checksums });
  return {
    PutObject: putObject({ spool, upstream, write }),
    UploadPart: uploadPart({ spool, upstream, parts }),
    GetObject: read,
    HeadObject: read,
    DeleteObject: deleteObject({ upstream }),
    DeleteObjects: deleteObjects({ upstream }),
    CreateMultipartUpload: createUpload({ upstream, parts, now }),
    CompleteMultipartUpload: completeUpload({ upstream, parts, write, minPartSize: o.minPartSize }),
    AbortMultipartUpload: abortUpload({ parts }),
    ListObjects: listObjects({ upstream }),
    ListMultipartUploads: listUploads({ parts }),
  };
}

/** The gateway's HTTP server (not listening yet): every request goes through `handle` above. */
export function createGateway(o: GatewayOptions): Server {
  const now = o.now ?? Date.now;
  const serve = handlers(o, now);
  const buckets = new Set([o.buckets.raw, o.buckets.lake]);

  async function handle(r: S3Request): Promise<void> {
    const h = r.req.headers;
    const rt = routeOf(r.method, r.key, r.q, h);
    const partNumber = r.q.has('partNumber') ? Number(r.q.get('partNumber')) : undefined;
    r.fault = o.faults.take({ method: r.method, bucket: r.bucket, key: r.key, operation: rt?.operation ?? 'Other', partNumber });
    if (r.fault?.type === 'delay') await o.faults.sleep(r.fault.ms);
    if (r.fault?.type === 'status') return refuse(r, failure(r.fault.status, r.fault.code, 'injected fault'));
    const auth = verifySigV4({ method: r.method, rawPath: r.rawPath, query: r.query, headers: h }, o.credentials, now());
    if (!auth.ok) return refuse(r, failure(auth.status, auth.code, auth.message));
    r.payloadHash = auth.payloadHash;
    o.stats.count(r.method, r.bucket, rt?.operation ?? 'Other');
    const early = chunkedProblem(h, auth.payloadHash) ?? lengthProblem(r.method, h);
    if (early) return refuse(r, early);
    if (r.bucket !== '' && !buckets.has(r.bucket))
      return refuse(r, failure(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: r.bucket }));
    if (!rt || !rt.served || r.bucket === '') return refuse(r, unservedShape(r.method, r.key, r.q, rt));
    if (r.raw && rt.deniedOnRaw)
      return refuse(r, failure(403, 'AccessDenied', `${rt.operation} is denied on the raw bucket ${r.bucket} (write-once, no deletes)`));
    for (const check of rt.checks) {
      const refused = check(r, { limits: o.limits });
      if (refused) return refuse(r, refused);
    }
    await serve[rt.operation as ServedOperation](r);
  }

  const server = createServer({ keepAlive: true }, (req: IncomingMessage, res: ServerResponse) => {
    let r: S3Request;
    try {
      r = parseRequest(req, res, o.buckets.raw);
    } catch {
      // A request line whose percent-encoding does not decode is the client's error, as on S3.
      req.resume();
      return sendS3Error(res, 400, 'InvalidURI', "Couldn't parse the specified URI.");
    }
    o.stats.started();
    handle(r)
      .catch((e: Error) => sendS3Error(res, 500, 'InternalError', `gateway: ${e.message}`))
      .finally(() => o.stats.finished());
  });
  server.keepAliveTimeout = 5000;
  return server;
}
