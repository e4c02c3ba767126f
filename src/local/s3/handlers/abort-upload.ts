/**
 * AbortMultipartUpload (s3rver has none): the upload, if it is open for this bucket and key,
 * stops being listed or completable; its part files go at the next start (startup-cleanup.ts).
 */
import type { PartStore } from '../part-store.js';
import { refuse } from '../request.js';
import { uploadBindingProblem } from '../rules/multipart.js';
import type { Handler } from './handler.js';

/** AbortMultipartUpload's handler. */
export function abortUpload(d: { parts: PartStore }): Handler {
  return async (r) => {
    const uploadId = r.q.get('uploadId')!;
    const unbound = uploadBindingProblem(uploadId, await d.parts.upload(uploadId), r.bucket, r.key);
    if (unbound) return refuse(r, unbound);
    await d.parts.end(uploadId);
    r.req.resume();
    r.res.writeHead(204).end();
  };
}
