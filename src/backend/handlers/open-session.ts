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

export async function assertSessionOpen(ctx: HandlerContext, ref: SessionRef, attempt?: string): Promise<void> {
  if (attempt !== undefined) return;
  if (await ctx.deps.raw.head(manifestKey(ref))) {
    throw new RecpipeError('conflict', `session ${ref.rig}/${ref.session} is already committed: no new files can be added at its plain keys`, {
      hint: 'nothing was signed; `recpipe upload` archives later content as a revision under attempt keys',
      details: { committed: true },
    });
  }
}
