/**
 * CompleteMultipartUpload: only for an open upload of this bucket and key, with a part list S3
 * would accept (rules/completion.ts); never handed to s3rver otherwise (which would fail with a
 * 500, take the id as a path, or assemble a part twice). The object is written through the one
 * object writer (conditions, write-once, intent, event), with its composite checksum.
 */
import { createHash } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { compositeChecksum, type StoredChecksums } from '../checksum-store.js';
import type { PartRecord, PartStore } from '../part-store.js';
import { answer } from '../request.js';
import { completionProblem, completionTypeProblem } from '../rules/completion.js';
import { failure } from '../rules/failure.js';
import { uploadBindingProblem, type UploadChecksum } from '../rules/multipart.js';
import { crc32cBase64 } from '../spool.js';
import { headUpstream, readAll, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import { parseCompleteParts } from '../xml.js';
import { readXmlBody } from './body.js';
import { isFailure, type Handler } from './handler.js';
import type { ObjectWriter } from './object-writer.js';

/** What a completion needs: s3rver, the upload records, the object writer, S3's minimum part size. */
export interface CompleteUploadDeps {
  upstream: Upstream;
  parts: PartStore;
  write: ObjectWriter;
  minPartSize: number;
}

/** S3's composite checksum of the assembled object, in the upload's algorithm. */
function composite(upload: UploadChecksum, parts: PartRecord[]): StoredChecksums {
  if (upload.algorithm === 'crc32c')
    return {
      crc32c: compositeChecksum(
        parts.map((p) => p.checksums.crc32c!),
        (b) => crc32cBase64(crc32c(b)),
      ),
    };
  if (upload.algorithm === 'sha256')
    return {
      sha256: compositeChecksum(
        parts.map((p) => p.checksums.sha256!),
        (b) => createHash('sha256').update(b).digest('base64'),
      ),
    };
  return {};
}

/** CompleteMultipartUpload's handler. */
export function completeUpload(d: CompleteUploadDeps): Handler {
  return async (r) => {
    const body = await readXmlBody(r);
    if (isFailure(body)) return answer(r, body);
    const uploadId = r.q.get('uploadId')!;
    const upload = await d.parts.upload(uploadId);
    const unbound =
      uploadBindingProblem(uploadId, upload, r.bucket, r.key) ?? completionTypeProblem(upload!, r.req.headers['x-amz-checksum-type'] as string | undefined);
    if (unbound) return answer(r, unbound);
    const listed = parseCompleteParts(body.toString('utf8'));
    if (!listed) return answer(r, failure(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'));
    const received = await d.parts.get(
      uploadId,
      listed.map((p) => p.partNumber),
    );
    const refused = completionProblem(uploadId, upload!, listed, received, d.minPartSize);
    if (refused) return answer(r, refused);
    // A legacy upload (UploadChecksum.legacy) has no algorithm on record: its parts say it.
    const algorithm = upload!.algorithm ?? (listed.every((p) => p.checksums.crc32c) ? 'crc32c' : undefined);
    const sums = composite(
      { algorithm },
      listed.map((p) => received.get(p.partNumber)!),
    );
    await d.write(r, async () => {
      const headers = { ...upstreamHeaders(r.req.headers, false), 'content-length': String(body.length) };
      const up = await sendUpstream(d.upstream, 'POST', r.upstreamPath, headers, body);
      let text = (await readAll(up)).toString('utf8');
      const ok = up.statusCode === 200 && !/<Error>/.test(text);
      const head = ok ? await headUpstream(d.upstream, r.rawPath) : undefined;
      if (ok) await d.parts.end(uploadId);
      // S3 names the composite checksum in its answer.
      if (ok && sums.crc32c)
        text = text.replace('</CompleteMultipartUploadResult>', `<ChecksumCRC32C>${sums.crc32c}</ChecksumCRC32C></CompleteMultipartUploadResult>`);
      if (ok && sums.sha256)
        text = text.replace('</CompleteMultipartUploadResult>', `<ChecksumSHA256>${sums.sha256}</ChecksumSHA256></CompleteMultipartUploadResult>`);
      return {
        ok,
        etag: head?.etag ?? '',
        size: head?.size ?? 0,
        sums,
        reply: async () => {
          r.res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) }).end(text);
        },
        discard: () => undefined,
      };
    });
  };
}
