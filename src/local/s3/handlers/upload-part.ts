/**
 * UploadPart: only for an open upload of this very bucket and key (S3: NoSuchUpload otherwise),
 * with the upload's checksum algorithm; the part is verified whole, then stored and recorded
 * (size, ETag, digests) for the completion's checks.
 */
import { createReadStream } from 'node:fs';
import type { PartStore } from '../part-store.js';
import { answer, refuse } from '../request.js';
import { partChecksumProblem, uploadBindingProblem } from '../rules/multipart.js';
import { pipeResponse, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import { bodyProblem, receiveBody, wantedBy, type SpoolDeps } from './body.js';
import type { Handler } from './handler.js';

/** What UploadPart needs: the body spool, s3rver, the upload and part records. */
export interface UploadPartDeps {
  spool: SpoolDeps;
  upstream: Upstream;
  parts: PartStore;
}

/** UploadPart's handler. */
export function uploadPart(d: UploadPartDeps): Handler {
  return async (r) => {
    const uploadId = r.q.get('uploadId')!;
    const partNumber = Number(r.q.get('partNumber'));
    const upload = await d.parts.upload(uploadId);
    const unbound = uploadBindingProblem(uploadId, upload, r.bucket, r.key) ?? partChecksumProblem(upload!, r.req.headers);
    if (unbound) return refuse(r, unbound);
    const want = wantedBy(r);
    const body = await receiveBody(r, d.spool, {
      ...want,
      sha256: want.sha256 || upload!.algorithm === 'sha256',
      crc32: want.crc32 || upload!.algorithm === 'crc32',
    });
    if (!body) return;
    try {
      const refused = bodyProblem(r, body);
      if (refused) return answer(r, refused);
      const headers = { ...upstreamHeaders(r.req.headers, false), 'content-length': String(body.size) };
      const up = await sendUpstream(d.upstream, 'PUT', r.upstreamPath, headers, createReadStream(body.path));
      const checksums = { crc32c: body.crc32c, sha256: body.sha256B64, crc32: body.crc32 };
      if (up.statusCode === 200) await d.parts.set(uploadId, partNumber, { size: body.size, etag: String(up.headers.etag ?? ''), checksums });
      // S3 answers with the part's checksum in the upload's algorithm (and the one sent, verified).
      const extra: Record<string, string> = {};
      for (const a of ['crc32c', 'sha256', 'crc32'] as const) {
        if ((a === upload!.algorithm || r.req.headers[`x-amz-checksum-${a}`] !== undefined) && checksums[a]) extra[`x-amz-checksum-${a}`] = checksums[a]!;
      }
      await pipeResponse(up, r.res, extra);
    } finally {
      await body.discard();
    }
  };
}
