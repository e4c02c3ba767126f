/**
 * POST /v1/multipart/part: a URL for one part, binding its length and CRC32C. The part must be
 * one of the upload's plan (its ticket: number within the declared size, length as planned);
 * the start already charged the declared size.
 */
import type { PresignedRequest } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { rawFileKey } from '../../core/layout.js';
import { ticketPartSize, verifyTicket } from '../multipart/ticket.js';
import type { HandlerContext } from './context.js';
import { assertSessionOpen } from './open-session.js';
import { attemptOf, checksum, fileName, integer, MAX_PARTS, MAX_PUT_BYTES, object, sessionName, string } from './schema.js';

export async function multipartPart(ctx: HandlerContext, raw: unknown): Promise<PresignedRequest> {
  const body = object(raw);
  const ref = { rig: ctx.rig, session: sessionName(body.session) };
  const file = fileName(body.file);
  const uploadId = string(body, 'uploadId');
  const partNumber = integer(body, 'partNumber', 1, MAX_PARTS);
  const size = integer(body, 'size', 1, MAX_PUT_BYTES);
  const sum = checksum(body.checksum, ['CRC32C']);
  const key = rawFileKey(ref, file, attemptOf(body));
  await assertSessionOpen(ctx, ref, attemptOf(body));
  const ticket = verifyTicket(body.ticket, await ctx.deps.secrets.tokenSecret(), key);
  if (ticket.uploadId !== uploadId) throw new RecpipeError('forbidden', `upload ticket refused: it was issued for another upload of ${key}`);
  const planned = ticketPartSize(ticket, partNumber);
  if (size !== planned) {
    throw new RecpipeError('usage', `part ${partNumber} of ${key} is ${planned} bytes by its declaration, not ${size}`, {
      hint: 'cut the file at the part size its upload was started with',
    });
  }
  return ctx.deps.presigner.presignPart({ key, uploadId, partNumber, size, checksum: sum, expiresInSec: ctx.deps.urlTtlSec });
}
