/** POST /v1/commit: validate the manifest against the token's rig, check the objects, write the manifest once. */
import type { CommitResponse } from '../../core/api.js';
import { EVENTS } from '../../core/events.js';
import { commitSession } from '../commit/commit-session.js';
import { validateManifest } from '../commit/validate-manifest.js';
import type { HandlerContext } from './context.js';
import { object } from './schema.js';

export async function commit(ctx: HandlerContext, raw: unknown): Promise<CommitResponse> {
  const manifest = validateManifest(object(raw).manifest, ctx.rig);
  const result = await commitSession(ctx.deps.raw, manifest, ctx.deps.commitChecks);
  ctx.logger.log('info', EVENTS.apiCommit.name, {
    sessionId: manifest.sessionId,
    status: result.status,
    files: manifest.fileCount,
    bytes: manifest.totalBytes,
  });
  return result;
}
