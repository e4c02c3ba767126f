/** PutObject: the body is spooled and verified whole before the store sees a byte of it. */
import { createReadStream } from 'node:fs';
import { answer } from '../request.js';
import { pipeResponse, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import { bodyProblem, receiveBody, wantedBy, type SpoolDeps } from './body.js';
import type { Handler } from './handler.js';
import type { ObjectWriter } from './object-writer.js';

/** What PutObject needs: the body spool, s3rver, the object writer. */
export interface PutObjectDeps {
  spool: SpoolDeps;
  upstream: Upstream;
  write: ObjectWriter;
}

/** PutObject's handler. */
export function putObject(d: PutObjectDeps): Handler {
  return async (r) => {
    const body = await receiveBody(r, d.spool, wantedBy(r));
    if (!body) return;
    try {
      const refused = bodyProblem(r, body);
      if (refused) return answer(r, refused);
      const h = r.req.headers;
      // S3 answers with the checksum it verified.
      const extra: Record<string, string> = {};
      if (h['x-amz-checksum-sha256']) extra['x-amz-checksum-sha256'] = body.sha256B64!;
      if (h['x-amz-checksum-crc32c']) extra['x-amz-checksum-crc32c'] = body.crc32c;
      const headers = { ...upstreamHeaders(h, false), 'content-length': String(body.size) };
      await d.write(r, async () => {
        const up = await sendUpstream(d.upstream, 'PUT', r.upstreamPath, headers, createReadStream(body.path));
        return {
          ok: up.statusCode === 200,
          etag: String(up.headers.etag ?? ''),
          size: body.size,
          sums: { sha256: extra['x-amz-checksum-sha256'], crc32c: extra['x-amz-checksum-crc32c'] },
          reply: () => pipeResponse(up, r.res, extra),
          discard: () => up.resume(),
        };
      });
    } finally {
      await body.discard();
    }
  };
}
