/**
 * POST /v1/uploads/batch (core/api-batch.ts): the URLs for many files and parts of one session.
 * Everything is checked before anything is signed, in the order of the single routes: the body,
 * the session being open (one HEAD per batch, completions included; or the listing, when the
 * batch asks for the session's state too), every ticket and every
 * part against its upload's plan, the quota (one charge per batch); then uploads start (a few at
 * a time) and URLs are signed. Any refusal refuses the whole batch with nothing signed. A batch
 * that started uploads at plain keys looks at the session once more before answering (a commit
 * may have been written meanwhile: open-session.ts `assertStillOpen`).
 */
import type { BatchFileResponse, UploadBatchResponse } from '../../core/api-batch.js';
import { plannedPartSize } from '../../core/ingest/plan.js';
import { mapLimit } from '../../core/map-limit.js';
import { signTicket, ticketPartSize, verifyTicket, type UploadTicket } from '../multipart/ticket.js';
import { chargeBatch } from '../quota/charge.js';
import { parseBatch, type BatchFile } from './batch-schema.js';
import type { HandlerContext } from './context.js';
import { assertSessionOpen, assertStillOpen } from './open-session.js';
import { describeSession } from './session-state.js';

/** CreateMultipartUpload calls at once per batch. */
const STARTS_AT_ONCE = 8;

export async function uploadBatch(ctx: HandlerContext, raw: unknown): Promise<UploadBatchResponse> {
  const { ref, files, state: withState } = parseBatch(raw, ctx.rig);
  const plain = files.some((f) => f.attempt === undefined);
  // Asked for the state, the listing is the open check: a committed session answers with it, nothing signed.
  const state = withState ? await describeSession(ctx, ref) : undefined;
  if (state?.committed && plain) return { files: [], signedAt: ctx.deps.clock.now().toISOString(), state };
  if (plain && !state) await assertSessionOpen(ctx, ref);
  const secret = await ctx.deps.secrets.tokenSecret();
  const plans = files.map((f) => plan(f, secret));
  await chargeBatch(
    ctx,
    `${files.length} file(s) of ${ref.rig}/${ref.session}`,
    files.flatMap((f) => (f.put ? [{ key: f.key, bytes: f.put.size }] : f.start ? [{ key: f.key, bytes: f.start.size }] : [])),
  );
  const { presigner, urlTtlSec: expiresInSec } = ctx.deps;
  const startedPlain: { key: string; uploadId: string }[] = [];
  const answers = await mapLimit(files, STARTS_AT_ONCE, async (f, i): Promise<BatchFileResponse> => {
    const head = { file: f.file, ...(f.attempt ? { attempt: f.attempt } : {}), key: f.key };
    if (f.put) return { ...head, put: await presigner.presignPut({ key: f.key, ...f.put, expiresInSec }) };
    let ticket = plans[i];
    const started: Partial<BatchFileResponse> = {};
    if (!ticket) {
      const { uploadId } = await presigner.startMultipart(f.key);
      if (f.attempt === undefined) startedPlain.push({ key: f.key, uploadId });
      ticket = { key: f.key, uploadId, size: f.start!.size, partSize: f.start!.partSize };
      Object.assign(started, { uploadId, ticket: signTicket(ticket, secret) });
    }
    const upload = { key: f.key, uploadId: ticket.uploadId, expiresInSec };
    const sized = f.parts.map((p) => ({ ...p, size: plannedPartSize(ticket.size, ticket.partSize, p.partNumber)! }));
    return {
      ...head,
      ...started,
      ...(sized.length ? { parts: await presigner.presignParts({ ...upload, parts: sized }) } : {}),
      ...(f.complete ? { complete: await presigner.presignComplete(upload) } : {}),
    };
  });
  await assertStillOpen(ctx, ref, startedPlain);
  const count = (k: keyof BatchFile) => files.filter((f) => f[k]).length;
  ctx.logger.log('info', 'api.batch.signed', {
    sessionId: `${ref.rig}/${ref.session}`,
    files: files.length,
    puts: count('put'),
    starts: count('start'),
    parts: files.reduce((n, f) => n + f.parts.length, 0),
    completes: count('complete'),
  });
  return { files: answers, signedAt: ctx.deps.clock.now().toISOString(), ...(state ? { state } : {}) };
}

/** The ticket of an upload begun earlier (verified), or undefined for one this batch starts; checks every part asked for against the plan. */
function plan(f: BatchFile, secret: Buffer): UploadTicket | undefined {
  if (f.put) return undefined;
  const ticket = f.start ? undefined : verifyTicket(f.ticket, secret, f.key);
  const declared = ticket ?? { key: f.key, uploadId: '', ...f.start! };
  for (const p of f.parts) ticketPartSize(declared, p.partNumber);
  return ticket;
}
