/** Multipart set-ups the recorded completion tests shared. */
import type { Ctx } from './case.js';
import { digest, steps, type ListPart } from './harness.js';

/** The recorded tests' part: 5 MiB + 1 byte of 'a' (at least the minimum part size). */
export const BIG = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');

/** Three parts as the recorded composite tests sent them (big, big, 10 bytes), each with its checksum. */
export async function threeParts(c: Ctx, algorithm?: 'crc32c' | 'sha256'): Promise<{ id: string; parts: ListPart[] }> {
  const id = await steps.create(c.s3, c.key, algorithm ? { 'x-amz-checksum-algorithm': algorithm.toUpperCase(), 'x-amz-checksum-type': 'COMPOSITE' } : {});
  const parts: ListPart[] = [];
  for (const [i, body] of [BIG, BIG, BIG.subarray(0, 10)].entries()) {
    const checksums = algorithm ? { [algorithm]: digest[algorithm](body) } : undefined;
    parts.push({
      n: i + 1,
      etag: await steps.uploaded(c.s3, c.key, id, i + 1, body, algorithm ? { [`x-amz-checksum-${algorithm}`]: checksums![algorithm] } : {}),
      checksums,
    });
  }
  return { id, parts };
}

/** One small part 'data' (or `body`) of a plain upload. */
export async function onePart(c: Ctx, body = 'data', headers: Record<string, string> = {}, create: Record<string, string> = {}) {
  const id = await steps.create(c.s3, c.key, create);
  return { id, etag: await steps.uploaded(c.s3, c.key, id, 1, body, headers) };
}
