/**
 * POST /v1/multipart/complete: assembles the parts (with their CRC32Cs), refusing to overwrite.
 * Idempotent: when the object is already stored as exactly these parts (an earlier call
 * succeeded but its answer was lost) the answer is `completed` again. With `presigned: true`
 * the store's own CompleteMultipartUpload request is returned for the client to send, so a long
 * assembly never runs inside the API's 30 s limit. Like every route that writes, it refuses the
 * plain keys of a committed session; a ticket, when sent, must name this file and upload.
 */
import type { CompleteMultipartResponse } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { rawFileKey } from '../../core/layout.js';
import { storedAs } from '../multipart/stored-as.js';
import { verifyTicket } from '../multipart/ticket.js';
import type { CompletePartInput } from '../ports.js';
import type { HandlerContext } from './context.js';
import { assertSessionOpen } from './open-session.js';
import { attemptOf, bad, checksum, fileName, integer, MAX_PARTS, object, sessionName, string } from './schema.js';

export async function multipartComplete(ctx: HandlerContext, raw: unknown): Promise<CompleteMultipartResponse> {
  const body = object(raw);
  const ref = { rig: ctx.rig, session: sessionName(body.session) };
  const file = fileName(body.file);
  const uploadId = string(body, 'uploadId');
  if (!Array.isArray(body.parts) || body.parts.length === 0 || body.parts.length > MAX_PARTS) throw bad('parts', `must be an array of 1 to ${MAX_PARTS} parts`);
  if (body.presigned !== undefined && typeof body.presigned !== 'boolean') throw bad('presigned', 'must be true or false', body.presigned);
  const parts: CompletePartInput[] = body.parts.map((p: unknown, i: number) => {
    const part = object(p, `parts[${i}]`);
    return {
      partNumber: integer(part, 'partNumber', 1, MAX_PARTS),
      etag: string(part, 'etag', 200),
      checksum: checksum(part.checksum, ['CRC32C'], `parts[${i}].checksum`),
    };
  });
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].partNumber <= parts[i - 1].partNumber) throw bad('parts', 'must be in ascending partNumber order without duplicates');
  }
  const key = rawFileKey(ref, file, attemptOf(body));
  await assertSessionOpen(ctx, ref, attemptOf(body));
  if (body.ticket !== undefined && verifyTicket(body.ticket, await ctx.deps.secrets.tokenSecret(), key).uploadId !== uploadId)
    throw new RecpipeError('forbidden', `upload ticket refused: it was issued for another upload of ${key}`);
  const log = (event: 'api.multipart.completed' | 'api.multipart.already_completed') =>
    ctx.logger.log('info', event, { key, parts: parts.length, sessionId: `${ref.rig}/${ref.session}` });
  const already = await storedAs(ctx.deps.raw, key, parts);
  if (already) {
    log('api.multipart.already_completed');
    return { key, status: 'completed', ...(already.etag ? { etag: already.etag } : {}) };
  }
  if (body.presigned === true) {
    const request = await ctx.deps.presigner.presignComplete({ key, uploadId, parts, expiresInSec: ctx.deps.urlTtlSec });
    return { key, status: 'pending', request };
  }
  try {
    const { etag } = await ctx.deps.presigner.completeMultipart(key, uploadId, parts);
    log('api.multipart.completed');
    return { key, status: 'completed', ...(etag ? { etag } : {}) };
  } catch (e) {
    // A concurrent or earlier completion may have stored it meanwhile: that is success too.
    if (!(e instanceof RecpipeError && (e.code === 'conflict' || e.code === 'not_found'))) throw e;
    const raced = await storedAs(ctx.deps.raw, key, parts);
    if (!raced) throw e;
    log('api.multipart.already_completed');
    return { key, status: 'completed', ...(raced.etag ? { etag: raced.etag } : {}) };
  }
}
