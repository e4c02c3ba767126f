/**
 * POST /v1/uploads/batch (core/api-batch.ts): the URLs for many files and parts of one session.
 * Everything a request alone can break is checked first, with no I/O (the body, every ticket and
 * every part against its upload's plan, file sizes); then the batch's multipart uploads start (a
 * few at a time), then the session is looked at once (a HEAD of its manifest, or the listing
 * when the batch asks for the session's state too), then the quota is charged (one charge per
 * batch), then URLs are signed. Any refusal refuses the whole batch with nothing signed and
 * nothing left open (uploads it started are aborted).
 *
 * The one look comes after the starts (issue 30: one S3 round trip per batch, not two): a
 * committed session is refused exactly as before, and the look is also the check that a commit
 * written while the uploads started is seen (open-session.ts `assertStillOpen`): either this look
 * sees the manifest, or the commit's sweep after its write sees the uploads.
 */
import type { BatchFileResponse, UploadBatchResponse } from '../../core/api-batch.js';
import type { SessionState } from '../../core/api.js';
import { plannedPartSize } from '../../core/ingest/plan.js';
import { mapLimit } from '../../core/map-limit.js';
import { signTicket, ticketPartSize, verifyTicket, type UploadTicket } from '../multipart/ticket.js';
import { assertFileSize, chargeBatch } from '../quota/charge.js';
import { parseBatch, type BatchFile } from './batch-schema.js';
import type { HandlerContext } from './context.js';
import { abortStarted, committed, isCommitted } from './open-session.js';
import { describeSession } from './session-state.js';

/** CreateMultipartUpload calls at once per batch. */
const STARTS_AT_ONCE = 8;

export async function uploadBatch(ctx: HandlerContext, raw: unknown): Promise<UploadBatchResponse> {
  const { ref, files, state: withState } = parseBatch(raw, ctx.rig);
  const plain = files.some((f) => f.attempt === undefined);
  const secret = await ctx.deps.secrets.tokenSecret();
  const plans = files.map((f) => plan(f, secret));
  const charged = files.flatMap((f) => (f.put ? [{ key: f.key, bytes: f.put.size }] : f.start ? [{ key: f.key, bytes: f.start.size }] : []));
  for (const c of charged) assertFileSize(ctx, c.key, c.bytes);
  const starting = files.map((f, i) => (!f.put && !plans[i] ? f : undefined));
  const started = await mapLimit(starting, STARTS_AT_ONCE, async (f) =>
    f ? { key: f.key, uploadId: (await ctx.deps.presigner.startMultipart(f.key)).uploadId } : undefined,
  );
  const opened = started.filter((u): u is { key: string; uploadId: string } => u !== undefined);
  let state: SessionState | undefined;
  let closed: boolean;
  try {
    // The one look at the session, after the starts. Asked for the state, the listing is the look:
    // a committed session answers with it, nothing signed.
    state = withState ? await describeSession(ctx, ref) : undefined;
    closed = plain && (state ? state.committed : await isCommitted(ctx, ref));
    if (!closed) await chargeBatch(ctx, `${files.length} file(s) of ${ref.rig}/${ref.session}`, charged);
  } catch (e) {
    // Refused after the starts (a quota, a failed look): nothing stays open.
    await abortStarted(ctx, opened).catch(() => undefined);
    throw e;
  }
  if (closed) {
    await abortStarted(ctx, opened);
    if (state) return { files: [], signedAt: ctx.deps.clock.now().toISOString(), state };
    throw committed(ref);
  }
  const { presigner, urlTtlSec: expiresInSec } = ctx.deps;
  const answers = await Promise.all(
    files.map(async (f, i): Promise<BatchFileResponse> => {
      const head = { file: f.file, ...(f.attempt ? { attempt: f.attempt } : {}), key: f.key };
      if (f.put) return { ...head, put: await presigner.presignPut({ key: f.key, ...f.put, expiresInSec }) };
      let ticket = plans[i];
      const begun: Partial<BatchFileResponse> = {};
      if (!ticket) {
        const { uploadId } = started[i]!;
        ticket = { key: f.key, uploadId, size: f.start!.size, partSize: f.start!.partSize };
        Object.assign(begun, { uploadId, ticket: signTicket(ticket, secret) });
      }
      const upload = { key: f.key, uploadId: ticket.uploadId, expiresInSec };
      const sized = f.parts.map((p) => ({ ...p, size: plannedPartSize(ticket.size, ticket.partSize, p.partNumber)! }));
      return {
        ...head,
        ...begun,
        ...(sized.length ? { parts: await presigner.presignParts({ ...upload, parts: sized }) } : {}),
        ...(f.complete ? { complete: await presigner.presignComplete(upload) } : {}),
      };
    }),
  );
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
