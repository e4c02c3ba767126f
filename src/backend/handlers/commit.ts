/**
 * POST /v1/commit: validate the manifest against the token's rig, check the objects, close the
 * session's open uploads, write the manifest once, and close them again (commit/close-uploads.ts).
 */
import type { CommitResponse } from '../../core/api.js';
import { EVENTS } from '../../core/events.js';
import { messageOf } from '../../core/errors.js';
import { rawSessionPrefix } from '../../core/layout.js';
import type { OpenUpload } from '../../core/ports.js';
import { abortOpenUploads } from '../commit/close-uploads.js';
import { commitSession } from '../commit/commit-session.js';
import { validateManifest } from '../commit/validate-manifest.js';
import type { HandlerContext } from './context.js';
import { object } from './schema.js';

export async function commit(ctx: HandlerContext, raw: unknown): Promise<CommitResponse> {
  const manifest = validateManifest(object(raw).manifest, ctx.rig);
  const ref = { rig: manifest.rig, session: manifest.session };
  let aborted = 0;
  const closeUploads = async (listed?: Promise<OpenUpload[]>) =>
    void (aborted += await abortOpenUploads(ctx.deps.raw, ctx.deps.presigner, ref, ctx.deps.commitChecks, listed));
  // The sweep before the write lists while the commit's checks run (close-uploads.ts).
  const listed = ctx.deps.raw.listUploads(rawSessionPrefix(ref));
  listed.catch(() => undefined);
  const result = await commitSession(ctx.deps.raw, manifest, ctx.deps.commitChecks, () => closeUploads(listed));
  // An upload started while the manifest was being written (its start saw the session open).
  // The manifest stands whatever happens here: a failure is logged, not answered.
  if (result.status === 'committed')
    await closeUploads().catch((e: unknown) =>
      ctx.logger.log('warn', EVENTS.apiCommitUploadsNotClosed.name, { sessionId: manifest.sessionId, error: messageOf(e) }),
    );
  ctx.logger.log('info', EVENTS.apiCommit.name, {
    sessionId: manifest.sessionId,
    status: result.status,
    files: manifest.fileCount,
    bytes: manifest.totalBytes,
    ...(aborted > 0 ? { abortedUploads: aborted } : {}),
  });
  return result;
}
