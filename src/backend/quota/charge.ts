/**
 * What a rig may still write today. Every presigned single PUT and every multipart upload is
 * charged its declared size (and one object) before anything is signed; a file larger than the
 * limit, or a charge past the rig's daily quota, is refused and nothing is signed.
 */
import { RecpipeError } from '../../core/errors.js';
import type { HandlerContext } from '../handlers/context.js';
import { DEFAULT_QUOTA } from './quota-store.js';

/** Log event with the rig's running total for the day: the CloudWatch metric filter reads it. */
export const CHARGED_EVENT = 'api.quota.charged';
export const REFUSED_EVENT = 'api.quota.refused';

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export async function chargeUpload(ctx: HandlerContext, key: string, bytes: number): Promise<void> {
  const limits = ctx.deps.quota?.limits ?? DEFAULT_QUOTA;
  if (bytes > limits.maxFileBytes) {
    ctx.logger.log('warn', REFUSED_EVENT, { key, bytes, reason: 'file_too_large' });
    throw new RecpipeError('quota', `${key} is ${bytes} bytes, more than the largest file a rig may upload (${limits.maxFileBytes} bytes)`, {
      hint: 'split the recording into smaller files, or ask an admin to raise maxFileBytes',
      retryable: false,
    });
  }
  const store = ctx.deps.quota?.store;
  // upload --direct runs without a store: its boundary is the caller's own IAM permissions.
  if (!store) return;
  const day = utcDay(ctx.deps.clock.now());
  const after = await store.tryCharge({ rig: ctx.rig, day, bytes, objects: 1, maxBytes: limits.bytesPerDay, maxObjects: limits.objectsPerDay });
  if (!after) {
    ctx.logger.log('warn', REFUSED_EVENT, { key, bytes, day, reason: 'daily_quota' });
    throw new RecpipeError('quota', `rig ${ctx.rig} has reached its daily upload quota (${limits.bytesPerDay} bytes, ${limits.objectsPerDay} files per UTC day); ${key} was not signed`, {
      hint: 'nothing was written; the upload resumes after 00:00 UTC, or an admin raises the quota (docs/operations.md)',
      retryable: false,
      details: { day },
    });
  }
  ctx.logger.log('info', CHARGED_EVENT, { key, bytes, day, rigBytesToday: after.bytes, rigObjectsToday: after.objects });
}
