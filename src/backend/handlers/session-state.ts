/** GET /v1/sessions/{session}: what the raw store already holds for this rig's session. */
import type { SessionState } from '../../core/api.js';
import { manifestKey, manifestKeyInfo, rawObjectName, rawSessionPrefix, revisionManifestKey } from '../../core/layout.js';
import type { SessionRef } from '../../core/layout.js';
import type { HandlerContext } from './context.js';
import { sessionName } from './schema.js';
import { MANIFEST } from '../../core/session/manifest-record.js';

export async function sessionState(ctx: HandlerContext): Promise<SessionState> {
  return describeSession(ctx, { rig: ctx.rig, session: sessionName(ctx.params.session) });
}

/** What the store holds for `ref` (also the first batch's answer, api-batch.ts `state`). */
export async function describeSession(ctx: HandlerContext, ref: SessionRef): Promise<SessionState> {
  const prefix = rawSessionPrefix(ref);
  const listed = await ctx.deps.raw.list(prefix);
  const named = listed.map((o) => ({ ...rawObjectName(o.key.slice(prefix.length)), size: o.size }));
  const objects = named.filter((o) => o.name !== undefined && o.attempt === undefined).map((o) => ({ name: o.name!, size: o.size }));
  const attempts = named.filter((o) => o.name !== undefined && o.attempt !== undefined).map((o) => ({ name: o.name!, attempt: o.attempt!, size: o.size }));
  const committed = listed.some((o) => o.key === manifestKey(ref));
  // The newest revision answers: later content is compared with it, and revisions follow it.
  const revision = committed ? Math.max(1, ...listed.map((o) => manifestKeyInfo(o.key)?.revision ?? 1)) : undefined;
  const key = revision ? revisionManifestKey(ref, revision) : undefined;
  const manifest = key ? MANIFEST.parse(await ctx.deps.raw.get(key), key) : undefined;
  return { session: ref.session, rig: ref.rig, committed, ...(manifest ? { manifest, revision } : {}), objects, ...(attempts.length > 0 ? { attempts } : {}) };
}
