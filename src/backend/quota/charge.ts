/**
 * What a rig may still write today, charged before anything is signed: a single PUT is charged
 * its size and one file; a multipart upload its declared size and one file at start. Its part
 * URLs cost nothing more: the upload's ticket (multipart/ticket.ts) lets the API sign only the
 * parts of the declared size, each with its planned length. So the quota bounds every byte a
 * rig's URLs can carry, and re-signing a part (a retry, an expired URL) is not charged twice.
 * A batch (api-batch.ts) is charged once, for all its single PUTs and starts together.
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
  ctx.logger.log('warn', EVENTS.quotaRefused.name, { key, bytes, reason: 'file_too_large' });
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
/** Multipart start: its declared size and one file. */
export const chargeMultipartStart = (ctx: HandlerContext, key: string, declared: number) => {
  assertFileSize(ctx, key, declared);
  return charge(ctx, key, declared, 1, declared);
};
/** A batch: every single PUT's size and every start's declared size, and one file each, in one charge. */
export function chargeBatch(ctx: HandlerContext, what: string, items: { key: string; bytes: number }[]): Promise<void> {
  for (const i of items) assertFileSize(ctx, i.key, i.bytes);
  const bytes = items.reduce((n, i) => n + i.bytes, 0);
  return items.length === 0 ? Promise.resolve() : charge(ctx, what, bytes, items.length, bytes);
}

async function charge(ctx: HandlerContext, key: string, bytes: number, objects: number, room: number): Promise<void> {
  const store = ctx.deps.quota?.store;
  // upload --direct runs without a store: its boundary is the caller's own IAM permissions.
  if (!store) return;
  const limits = limitsOf(ctx);
  const day = utcDay(ctx.deps.clock.now());
  // Asking for `room` bytes of headroom while adding only `bytes` checks and counts atomically.
  const after = await store.tryCharge({ rig: ctx.rig, day, bytes, objects, maxBytes: limits.bytesPerDay - (room - bytes), maxObjects: limits.objectsPerDay });
  if (!after) {
    ctx.logger.log('warn', EVENTS.quotaRefused.name, { key, bytes: room, day, reason: 'daily_quota' });
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
  if (bytes > 0 || objects > 0)
    ctx.logger.log('info', EVENTS.quotaCharged.name, { key, bytes, day, rigBytesToday: after.bytes, rigObjectsToday: after.objects });
}
