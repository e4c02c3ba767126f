/** POST /v1/multipart/part: a URL for one part, binding its length and CRC32C. */
import type { PresignedRequest } from '../../core/api.js';
import { rawFileKey } from '../../core/layout.js';
import { chargePart } from '../quota/charge.js';
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
  await chargePart(ctx, key, size);
  return ctx.deps.presigner.presignPart({ key, uploadId, partNumber, size, checksum: sum, expiresInSec: ctx.deps.urlTtlSec });
}
