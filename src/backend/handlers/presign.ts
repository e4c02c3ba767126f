/** POST /v1/presign: a single-PUT URL binding length, checksum and no-overwrite for one file of this rig's session. */
import type { PresignedRequest } from '../../core/api.js';
import { rawFileKey } from '../../core/layout.js';
import { chargePut } from '../quota/charge.js';
import type { HandlerContext } from './context.js';
import { assertSessionOpen } from './open-session.js';
import { attemptOf, checksum, fileName, integer, MAX_PUT_BYTES, object, sessionName } from './schema.js';

export async function presign(ctx: HandlerContext, raw: unknown): Promise<PresignedRequest> {
  const body = object(raw);
  const ref = { rig: ctx.rig, session: sessionName(body.session) };
  const file = fileName(body.file);
  const size = integer(body, 'size', 0, MAX_PUT_BYTES);
  const sum = checksum(body.checksum, ['SHA256', 'CRC32C']);
  // The key comes from the token's rig: a request can only name a session and a file.
  const key = rawFileKey(ref, file, attemptOf(body));
  await assertSessionOpen(ctx, ref, attemptOf(body));
  await chargePut(ctx, key, size);
  return ctx.deps.presigner.presignPut({ key, size, checksum: sum, expiresInSec: ctx.deps.urlTtlSec });
}
