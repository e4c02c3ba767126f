/**
 * Receiving request bodies. Object bodies (PutObject, UploadPart) are spooled to disk while
 * their digests are computed, then checked against the declared length, the signed payload
 * hash and the checksum headers before anything reaches s3rver. XML bodies (multipart create
 * and completion, DeleteObjects) are small: read whole and checked against the payload hash.
 */
import { createHash } from 'node:crypto';
import type { S3Request } from '../request.js';
import { failure, type S3Failure } from '../rules/failure.js';
import { spoolBody, type Spooled } from '../spool.js';
import type { GatewayStats } from '../stats.js';
import { readAll } from '../upstream.js';
import { sendS3Error } from '../xml.js';

/** Where bodies are spooled and counted. */
export interface SpoolDeps {
  tmpDir: string;
  stats: GatewayStats;
}

/** Which digests to compute beyond CRC32C (always kept). */
export interface Wanted {
  sha256?: boolean;
  md5?: boolean;
  crc32?: boolean;
}

const HEX_HASH = /^[0-9a-f]{64}$/;
const mismatch = () => failure(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');

/**
 * Spools the body of `r` (applying its drop/flip fault); undefined when the client or a fault
 * cut it short (nobody left to answer) or the gateway could not keep it (answered 500 here).
 */
export async function receiveBody(r: S3Request, d: SpoolDeps, want: Wanted): Promise<Spooled | undefined> {
  const dropAt = r.fault?.type === 'drop-after-bytes' ? r.fault.bytes : Infinity;
  const flipAt = r.fault?.type === 'flip-byte' ? r.fault.offset : undefined;
  const token = {};
  const body = await spoolBody(
    r.req,
    d.tmpDir,
    flipAt,
    (n) => {
      d.stats.received(r.bucket, n, token, r.key);
      if (n < dropAt) return true;
      r.req.socket.destroy();
      return false;
    },
    { ...want, sha256: want.sha256 || HEX_HASH.test(r.payloadHash) },
  );
  if (!body && !r.req.socket.destroyed && !r.res.headersSent) {
    sendS3Error(r.res, 500, 'InternalError', 'the gateway could not keep the request body', r.key);
  }
  return body;
}

/** Checks a spooled body against its declared length, payload hash and checksum headers. */
export function bodyProblem(r: S3Request, body: Spooled): S3Failure | undefined {
  const h = r.req.headers;
  const length = Number(h['content-length']);
  if (body.size !== length)
    return failure(400, 'IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header (${body.size} of ${length})`);
  if (HEX_HASH.test(r.payloadHash) && r.payloadHash !== body.sha256Hex) return mismatch();
  const checks: [string, string | undefined, string][] = [
    ['x-amz-checksum-sha256', body.sha256B64, 'The SHA256 you specified did not match the calculated checksum.'],
    ['x-amz-checksum-crc32c', body.crc32c, 'The CRC32C you specified did not match the calculated checksum.'],
    ['x-amz-checksum-crc32', body.crc32, 'The CRC32 you specified did not match the calculated checksum.'],
    ['content-md5', body.md5B64, 'The Content-MD5 you specified did not match what we received.'],
  ];
  for (const [header, got, message] of checks) if (h[header] !== undefined && h[header] !== got) return failure(400, 'BadDigest', message);
  return undefined;
}

/** The digests a write's own headers ask to be checked. */
export function wantedBy(r: S3Request): Wanted {
  const h = r.req.headers;
  return { sha256: h['x-amz-checksum-sha256'] !== undefined, md5: h['content-md5'] !== undefined, crc32: h['x-amz-checksum-crc32'] !== undefined };
}

/** Reads a small (XML) body whole and checks it against a signed payload hash. */
export async function readXmlBody(r: S3Request): Promise<Buffer | S3Failure> {
  const body = await readAll(r.req);
  if (HEX_HASH.test(r.payloadHash) && createHash('sha256').update(body).digest('hex') !== r.payloadHash) return mismatch();
  return body;
}
