/**
 * What a rig may still write today, charged before anything is signed: a single PUT is charged
 * its size and one file; a multipart upload one file at start (which also needs room for its
 * declared size, so an upload that cannot finish today does not begin), then each part URL its
 * part's size. So the quota bounds every byte a rig's URLs can carry, whatever it declared.
 */
import { RecpipeError } from '../../core/errors.js';
import { EVENTS } from '../../core/events.js';
import type { HandlerContext } from '../handlers/context.js';
import { DEFAULT_QUOTA } from './quota-store.js';

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const limitsOf = (ctx: HandlerContext) => ctx.deps.quota?.limits ?? DEFAULT_QUOTA;

/** Refuses a file larger than the largest a rig may upload (applies to `upload --direct` too). */
export function assertFileSize(ctx: HandlerContext, key: string, bytes: number): void {
  const { maxFileBytes } = limitsOf(ctx);
  if (bytes <= maxFileBytes) return;
  ctx.logger.log('warn', EVENTS.quotaRefused, { key, bytes, reason: 'file_too_large' });
  throw new RecpipeError('quota', `${key} is ${bytes} bytes, more than the largest file a rig may upload (${maxFileBytes} bytes)`, {
    hint: 'split the recording into smaller files, or ask an admin to raise maxFileBytes',
    retryable: false,
  });
}

/** Single PUT: the file's size and one file. */
export const chargePut = (ctx: HandlerContext, key: string, size: number) => {
  assertFileSize(ctx, key, size);
  return charge(ctx, key, size, 1, size);
};
/** Multipart start: one file, if the declared size still fits today (its bytes come with the parts). */
export const chargeMultipartStart = (ctx: HandlerContext, key: string, declared: number) => {
  assertFileSize(ctx, key, declared);
  return charge(ctx, key, 0, 1, declared);
};
/** One part URL: the part's size. */
export const chargePart = (ctx: HandlerContext, key: string, size: number) => charge(ctx, key, size, 0, size);

async function charge(ctx: HandlerContext, key: string, bytes: number, objects: number, room: number): Promise<void> {
  const store = ctx.deps.quota?.store;
  // upload --direct runs without a store: its boundary is the caller's own IAM permissions.
  if (!store) return;
  const limits = limitsOf(ctx);
  const day = utcDay(ctx.deps.clock.now());
  // Asking for `room` bytes of headroom while adding only `bytes` checks and counts atomically.
  const after = await store.tryCharge({ rig: ctx.rig, day, bytes, objects, maxBytes: limits.bytesPerDay - (room - bytes), maxObjects: limits.objectsPerDay });
  if (!after) {
    ctx.logger.log('warn', EVENTS.quotaRefused, { key, bytes: room, day, reason: 'daily_quota' });
    throw new RecpipeError(
      'quota',
      `rig ${ctx.rig} has reached its daily upload quota (${limits.bytesPerDay} bytes, ${limits.objectsPerDay} files per UTC day); ${key} was not signed`,
      {
        hint: 'nothing was written; the upload resumes after 00:00 UTC, or an admin raises the quota (docs/operations.md)',
        retryable: false,
        details: { day },
      },
    );
  }
  if (bytes > 0 || objects > 0) ctx.logger.log('info', EVENTS.quotaCharged, { key, bytes, day, rigBytesToday: after.bytes, rigObjectsToday: after.objects });
}
