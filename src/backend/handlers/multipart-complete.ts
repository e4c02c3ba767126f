/** POST /v1/multipart/complete: assembles the parts (with their CRC32Cs), refusing to overwrite. */
import type { CompleteMultipartResponse } from '../../core/api.js';
import { rawFileKey } from '../../core/layout.js';
import type { CompletePartInput } from '../ports.js';
import type { HandlerContext } from './context.js';
import { bad, checksum, fileName, integer, MAX_PARTS, object, sessionName, string } from './schema.js';

export async function multipartComplete(ctx: HandlerContext, raw: unknown): Promise<CompleteMultipartResponse> {
  const body = object(raw);
  const ref = { rig: ctx.rig, session: sessionName(body.session) };
  const file = fileName(body.file);
  const uploadId = string(body, 'uploadId');
  if (!Array.isArray(body.parts) || body.parts.length === 0 || body.parts.length > MAX_PARTS) throw bad('parts', `must be an array of 1 to ${MAX_PARTS} parts`);
  const parts: CompletePartInput[] = body.parts.map((p: unknown, i: number) => {
    const part = object(p, `parts[${i}]`);
    return { partNumber: integer(part, 'partNumber', 1, MAX_PARTS), etag: string(part, 'etag', 200), checksum: checksum(part.checksum, ['CRC32C'], `parts[${i}].checksum`) };
  });
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].partNumber <= parts[i - 1].partNumber) throw bad('parts', 'must be in ascending partNumber order without duplicates');
  }
  const key = rawFileKey(ref, file);
  const { etag } = await ctx.deps.presigner.completeMultipart(key, uploadId, parts);
  ctx.logger.log('info', 'api.multipart.completed', { key, parts: parts.length, sessionId: `${ref.rig}/${ref.session}` });
  return { key, ...(etag ? { etag } : {}) };
}
