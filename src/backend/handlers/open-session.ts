/**
 * A committed session is closed to its plain keys: its first manifest pins them, and with Object
 * Lock anything written there afterwards could not be removed for the retention period. Content
 * written into the folder after the commit is archived as a revision (core/session/revisions.ts),
 * whose new bytes go to attempt keys only, so those stay open. The upload routes call this
 * before signing anything.
 */
import { RecpipeError } from '../../core/errors.js';
import { manifestKey, type SessionRef } from '../../core/layout.js';
import type { HandlerContext } from './context.js';

export const committed = (ref: SessionRef) =>
  new RecpipeError('conflict', `session ${ref.rig}/${ref.session} is already committed: no new files can be added at its plain keys`, {
    hint: 'nothing was signed; `recpipe upload` archives later content as a revision under attempt keys',
    details: { committed: true },
  });

export async function assertSessionOpen(ctx: HandlerContext, ref: SessionRef, attempt?: string): Promise<void> {
  if (attempt !== undefined) return;
  if (await isCommitted(ctx, ref)) throw committed(ref);
}

/** Whether the session's first manifest is written (one HEAD). */
export async function isCommitted(ctx: HandlerContext, ref: SessionRef): Promise<boolean> {
  return (await ctx.deps.raw.head(manifestKey(ref))) !== undefined;
}

/** Aborts uploads a refused request started: nothing it began stays open. */
export async function abortStarted(ctx: HandlerContext, started: { key: string; uploadId: string }[]): Promise<void> {
  await Promise.all(started.map((u) => ctx.deps.presigner.abortMultipart(u.key, u.uploadId)));
}

/**
 * After starting uploads at plain keys: a commit whose manifest was written meanwhile swept the
 * session's uploads before these existed, or is about to sweep again (commit/close-uploads.ts).
 * Look once more; if the session is committed now, abort them and sign nothing. Either this look
 * sees the manifest or the commit's sweep after its write sees the uploads.
 */
export async function assertStillOpen(ctx: HandlerContext, ref: SessionRef, started: { key: string; uploadId: string }[]): Promise<void> {
  if (started.length === 0 || !(await isCommitted(ctx, ref))) return;
  await abortStarted(ctx, started);
  throw committed(ref);
}
