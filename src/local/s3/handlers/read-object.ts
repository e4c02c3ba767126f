/**
 * GetObject and HeadObject. s3rver rewrites an object's file in place: a read racing a write of
 * the same key could see a truncated body under the old length (the client then waits forever).
 * Reads and writes of one key take turns, so a read sees the old object or the new one, as on
 * S3. Read conditions are answered here, in S3's order (s3rver answers If-None-Match before
 * If-Match); with `x-amz-checksum-mode: ENABLED` the checksums recorded at write time are served.
 */
import type { ChecksumStore } from '../checksum-store.js';
import type { KeyLocks } from '../key-locks.js';
import { answer, type S3Request } from '../request.js';
import { faultyBody } from '../response-faults.js';
import { READ_CONDITIONS, readConditionAnswer } from '../rules/conditions.js';
import { headUpstream, pipeResponse, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import type { Handler } from './handler.js';

/** What a read needs: s3rver, the key locks, the checksum records. */
export interface ReadObjectDeps {
  upstream: Upstream;
  locks: KeyLocks;
  checksums: ChecksumStore;
}

/** True when the read's conditions were answered here (412 or 304). */
async function answeredConditions(d: ReadObjectDeps, r: S3Request): Promise<boolean> {
  if (!READ_CONDITIONS.some((h) => r.req.headers[h] !== undefined)) return false;
  const current = await headUpstream(d.upstream, r.rawPath);
  if (!current) return false;
  const outcome = readConditionAnswer(r.req.headers, current);
  if (outcome === undefined) return false;
  if (outcome === 'not-modified') r.res.writeHead(304, { etag: current.etag, 'last-modified': current.lastModified.toUTCString() }).end();
  else answer(r, outcome);
  return true;
}

/** GetObject's and HeadObject's handler. */
export function readObject(d: ReadObjectDeps): Handler {
  return (r) =>
    d.locks.run(`${r.bucket}/${r.key}`, async () => {
      r.req.resume();
      if (await answeredConditions(d, r)) return;
      const headers = upstreamHeaders(r.req.headers, false);
      for (const h of READ_CONDITIONS) delete headers[h];
      const up = await sendUpstream(d.upstream, r.method, r.upstreamPath, headers, undefined);
      const wantSums = up.statusCode === 200 && String(r.req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
      const out = r.method === 'GET' ? faultyBody(up, r.res, r.fault) : up;
      await pipeResponse(up, r.res, wantSums ? await d.checksums.headers(r.bucket, r.key, String(up.headers.etag ?? '')) : {}, out);
    });
}
