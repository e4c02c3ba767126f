/**
 * GetObject and HeadObject. s3rver rewrites an object's file in place: a read racing a write of
 * the same key could see a truncated body under the old length (the client then waits forever).
 * Reads and writes of one key take turns, so a read sees the old object or the new one, as on
 * S3. With `x-amz-checksum-mode: ENABLED` the checksums recorded at write time are served.
 */
import type { ChecksumStore } from '../checksum-store.js';
import type { KeyLocks } from '../key-locks.js';
import { faultyBody } from '../response-faults.js';
import { pipeResponse, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import type { Handler } from './handler.js';

export interface ReadObjectDeps {
  upstream: Upstream;
  locks: KeyLocks;
  checksums: ChecksumStore;
}

export function readObject(d: ReadObjectDeps): Handler {
  return (r) =>
    d.locks.run(`${r.bucket}/${r.key}`, async () => {
      r.req.resume();
      const up = await sendUpstream(d.upstream, r.method, r.upstreamPath, upstreamHeaders(r.req.headers, true), undefined);
      const wantSums = up.statusCode === 200 && String(r.req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
      const out = r.method === 'GET' ? faultyBody(up, r.res, r.fault) : up;
      await pipeResponse(up, r.res, wantSums ? await d.checksums.headers(r.bucket, r.key, String(up.headers.etag ?? '')) : {}, out);
    });
}
