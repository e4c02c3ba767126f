/**
 * POST /v1/multipart/start: begins a CRC32C multipart upload for one file of this rig's session,
 * charges its declared size, and answers with the upload's ticket (multipart/ticket.ts), which
 * bounds every part URL signed for it later.
 */
import type { StartMultipartResponse } from '../../core/api.js';
import { rawFileKey } from '../../core/layout.js';
import { signTicket } from '../multipart/ticket.js';
import { chargeMultipartStart } from '../quota/charge.js';
import type { HandlerContext } from './context.js';
import { assertSessionOpen, assertStillOpen } from './open-session.js';
import { attemptOf, fileName, integer, MAX_OBJECT_BYTES, object, partSizeOf, sessionName } from './schema.js';

export async function multipartStart(ctx: HandlerContext, raw: unknown): Promise<StartMultipartResponse> {
  const body = object(raw);
  const ref = { rig: ctx.rig, session: sessionName(body.session) };
  const file = fileName(body.file);
  const size = integer(body, 'size', 1, MAX_OBJECT_BYTES);
  const partSize = partSizeOf(body, size);
  const key = rawFileKey(ref, file, attemptOf(body));
  await assertSessionOpen(ctx, ref, attemptOf(body));
  await chargeMultipartStart(ctx, key, size);
  const { uploadId } = await ctx.deps.presigner.startMultipart(key);
  if (attemptOf(body) === undefined) await assertStillOpen(ctx, ref, [{ key, uploadId }]);
  ctx.logger.log('info', 'api.multipart.started', { key, sessionId: `${ref.rig}/${ref.session}` });
  return { uploadId, key, ticket: signTicket({ key, uploadId, size, partSize }, await ctx.deps.secrets.tokenSecret()) };
}
