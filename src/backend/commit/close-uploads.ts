/**
 * A commit closes its session to late completions. A completion is signed ahead of need (in a
 * batch, with the file's last parts) and lives DEFAULT_URL_TTL_SEC; no commit can recall a URL,
 * but it can end the upload the URL completes: S3 answers a part or a completion of an aborted
 * upload 404 NoSuchUpload. So the commit aborts every multipart upload still open under the
 * session's prefix (ListMultipartUploads, then AbortMultipartUpload each), just before it writes
 * the manifest and again just after (handlers/commit.ts), and an upload started at a plain key
 * is looked at again once started (open-session.ts `assertStillOpen`): either that look sees the
 * manifest, or the sweep after the write sees the upload.
 *
 * An honest client has no upload open when it commits (it commits once every file is stored),
 * so this only ends what was abandoned or planted. An abort is not a delete: it discards the
 * parts of an upload that never became an object; stored objects are untouched.
 */
import type { FairLimiter } from '../../core/fair-limiter.js';
import { rawSessionPrefix, type SessionRef } from '../../core/layout.js';
import type { ObjectStore, OpenUpload } from '../../core/ports.js';
import type { Presigner } from '../ports.js';

/**
 * Aborts the multipart uploads open under `ref`'s session prefix (attempt keys included), through
 * the commit checks' limiter under the rig's share; resolves with how many it aborted.
 * `listed`: a listing of them taken earlier in the same commit (the sweep before the write lists
 * while the commit's checks run: issue 30); without it, they are listed now.
 */
export async function abortOpenUploads(
  raw: Pick<ObjectStore, 'listUploads'>,
  presigner: Pick<Presigner, 'abortMultipart'>,
  ref: SessionRef,
  limiter: FairLimiter,
  listed?: Promise<OpenUpload[]>,
): Promise<number> {
  const open = await (listed ?? raw.listUploads(rawSessionPrefix(ref)));
  await limiter.map(ref.rig, open, (u) => presigner.abortMultipart(u.key, u.uploadId));
  return open.length;
}
