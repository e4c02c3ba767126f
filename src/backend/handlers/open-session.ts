/**
 * A committed session is closed: its manifest lists what it holds, and with Object Lock anything
 * written under it afterwards could not be removed for the retention period. The upload routes
 * call this before signing anything.
 */
import { RecpipeError } from '../../core/errors.js';
import { manifestKey, type SessionRef } from '../../core/layout.js';
import type { HandlerContext } from './context.js';

export async function assertSessionOpen(ctx: HandlerContext, ref: SessionRef): Promise<void> {
  if (await ctx.deps.raw.head(manifestKey(ref))) {
    throw new RecpipeError('conflict', `session ${ref.rig}/${ref.session} is already committed: no new files can be added to it`, {
      hint: 'nothing was signed; record new files into a new session folder',
      details: { committed: true },
    });
  }
}
