/**
 * CreateMultipartUpload: started in s3rver, then recorded here with its bucket, key and
 * checksum algorithm, which every part, the completion and an abort must match.
 */
import type { PartStore } from '../part-store.js';
import { answer, refuse } from '../request.js';
import { createUploadChecksum } from '../rules/multipart.js';
import { pipeResponse, readAll, sendUpstream, upstreamHeaders, type Upstream } from '../upstream.js';
import { readXmlBody } from './body.js';
import { isFailure, type Handler } from './handler.js';

/** What starting an upload needs: s3rver, the upload records, the clock. */
export interface CreateUploadDeps {
  upstream: Upstream;
  parts: PartStore;
  now: () => number;
}

/** CreateMultipartUpload's handler. */
export function createUpload(d: CreateUploadDeps): Handler {
  return async (r) => {
    const sum = createUploadChecksum(r.req.headers);
    if (isFailure(sum)) return refuse(r, sum);
    const body = await readXmlBody(r);
    if (isFailure(body)) return answer(r, body);
    const up = await sendUpstream(d.upstream, 'POST', r.upstreamPath, upstreamHeaders(r.req.headers, true), body);
    if (up.statusCode !== 200) return pipeResponse(up, r.res);
    const xml = (await readAll(up)).toString('utf8');
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1];
    if (uploadId) await d.parts.begin(uploadId, { bucket: r.bucket, key: r.key, initiated: new Date(d.now()), ...sum });
    const headers: Record<string, string | number> = { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) };
    if (sum.algorithm) headers['x-amz-checksum-algorithm'] = sum.algorithm.toUpperCase();
    if (sum.type) headers['x-amz-checksum-type'] = sum.type;
    r.res.writeHead(200, headers).end(xml);
  };
}
