/**
 * The sending phase of an upload (upload-session.ts): what the store holds decides what is sent
 * (nothing for a committed identical session; the changed files of a later revision; a file
 * already stored from this very file is adopted; a key holding other bytes sends the file to an
 * attempt key), then the files go, their URLs from one broker (url-broker.ts) that signs them
 * ahead in batches: small files alongside, multipart files two at a time (file-slot.ts), the
 * window capping the PUTs in flight overall.
 *
 * A first upload of a session (nothing in the journal) does not ask for the session's state on
 * its own: it plans every file at its plain key and its first batch asks for the state too
 * (api-batch.ts), saving an API round trip. If the store holds anything at those keys, or the
 * session is committed, that plan is dropped (a multipart upload it began is left to the bucket's
 * lifecycle rule) and the upload goes on from the state, as a resumed one does.
 */
import { randomBytes } from 'node:crypto';
import type { SessionState } from '../../core/api.js';
import type { JournalFile } from '../../core/ingest/journal-types.js';
import { mapLimit } from '../../core/map-limit.js';
import { planParts } from '../../core/ingest/plan.js';
import { revisionOf, type Manifest } from '../../core/session/manifest-types.js';
import { needsRevision } from '../../core/session/revisions.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import { AbortScope } from './abort-scope.js';
import { hexToBase64 } from './checksums.js';
import { sendInSlot } from './file-slot.js';
import { planMultipartFiles } from './part-planner.js';
import { planRevision } from './revision-plan.js';
import { sendSingle, type SendContext } from './send-file.js';
import { mb } from './upload-session.js';
import type { UploadContext, UploadResult } from './upload-types.js';
import { UrlBroker } from './url-broker.js';
import { Window } from './window.js';

/** Files sent; what the commit needs next. */
export interface Sent {
  /** The committed revision this upload revises, if any. */
  base?: Manifest;
  toSend: SessionFile[];
  batchCalls: number;
}

/** Multipart files that send parts at once. */
const FILE_SLOTS = 2;

export async function sendFiles(ctx: UploadContext): Promise<Sent | { result: UploadResult }> {
  const { session, journal, deps, log, tokens } = ctx;
  let ahead = firstUpload(ctx) ? plan(ctx, session.files, true) : undefined;
  // While the first batch (and the state with it) is on its way, the first parts are read.
  if (ahead) readAhead(ctx);
  let state = ahead ? await ahead.broker.state.catch(() => undefined) : undefined;
  let dropped = 0;
  if (ahead && (!state || state.committed || session.files.some((f) => storedAt(state!, journal.files[f.name]) !== undefined))) {
    await ahead.stop();
    dropped = ahead.broker.calls;
    for (const f of session.files) Object.assign(journal.files[f.name], { uploadId: undefined, ticket: undefined, doneParts: [] });
    ahead = undefined;
  }
  state ??= await ctx.retry('session state', async () => deps.api.sessionState((await tokens.get()).token, session.session));
  // A committed session whose rig copy holds more (written after the commit: a rig that paused
  // longer than the quiet period) is archived as its next revision.
  let base: Manifest | undefined;
  let toSend = session.files;
  if (state.committed && state.manifest) {
    deps.reporter.step(`checking ${ctx.sessionId} against the uploaded copy`);
    const local = await ctx.manifestNow();
    if (!needsRevision(state.manifest, local)) return { result: alreadyUploaded(ctx, state) };
    base = state.manifest;
    const { changes } = planRevision(base, local, journal);
    toSend = session.files.filter((f) => changes.includes(f.name));
    log.log('info', 'upload.revision_planned', { revision: revisionOf(base) + 1, files: changes });
  }
  const going = toSend.filter((f) => keep(ctx, f, state));
  await deps.journals.save(journal);
  const run = ahead ?? plan(ctx, going, false);
  try {
    await send(ctx, run, going);
  } finally {
    await run.stop();
    await ctx.pool.forget();
  }
  return { base, toSend, batchCalls: dropped + run.broker.calls };
}

/**
 * Reads the parts the first files send first into the part buffers, as far as they reach (the
 * sender takes them as read: buffer-pool.ts): the files in the two slots, planned at once.
 */
function readAhead(ctx: UploadContext): void {
  const first = ctx.session.files.filter((f) => ctx.journal.files[f.name].partSize !== undefined).slice(0, FILE_SLOTS);
  for (const f of first) for (const p of planParts(f.size, ctx.journal.files[f.name].partSize!)) if (!ctx.pool.readAhead(f.path, p.offset, p.size)) return;
}

/** Nothing of this session was sent from here before: the first batch may ask for its state. */
function firstUpload(ctx: UploadContext): boolean {
  return (
    !ctx.journal.committed &&
    ctx.session.files.every((f) => {
      const e = ctx.journal.files[f.name];
      return !e.sent && !e.done && !e.uploadId && !e.attempt;
    })
  );
}

interface Plan {
  broker: UrlBroker;
  scope: AbortScope;
  stop(): Promise<void>;
}

/** A broker with `files` planned: small files at once, multipart files as the planner gives them their part size. */
function plan(ctx: UploadContext, files: SessionFile[], withState: boolean): Plan {
  const { journal, deps } = ctx;
  const broker = new UrlBroker({
    api: deps.api,
    tokens: ctx.tokens,
    session: ctx.session.session,
    hasher: ctx.hasher,
    retry: (what, fn) => ctx.retry(what, fn),
    clock: ctx.clock,
    now: () => performance.now(),
    log: ctx.log,
    windowBytes: () => ctx.blockBytes,
    // The upload id and its ticket are in the journal before any part is sent: a crash resumes it.
    onStarted: () => void deps.journals.save(journal).catch(() => undefined),
    signal: deps.signal,
    withState,
  });
  const multipart = (f: SessionFile) => journal.files[f.name].partSize !== undefined;
  for (const f of files.filter((g) => !multipart(g)))
    broker.planPut(
      f,
      journal.files[f.name].attempt,
      ctx.hashedSha256(f).then((h) => ({ algorithm: 'SHA256' as const, value: hexToBase64(h) })),
    );
  const planning = planMultipartFiles(
    files.filter(multipart).map((f) => ({ f, entry: journal.files[f.name] })),
    { sizer: ctx.sizer, broker, early: FILE_SLOTS },
  ).catch(() => undefined);
  const scope = new AbortScope(deps.signal);
  return {
    broker,
    scope,
    stop: async () => {
      broker.close();
      scope.close();
      await planning;
    },
  };
}

/**
 * Sends `going`: two multipart files starting parts at a time, so one file's last parts and
 * completion overlap the next file's first parts (sendInSlot); small files (one PUT each)
 * alongside, up to the window. A failure stops new work and waits for what is in flight, so
 * nothing is still sending after this call has reported the error.
 */
async function send(ctx: UploadContext, run: Plan, going: SessionFile[]): Promise<void> {
  const { session, journal, deps } = ctx;
  deps.reporter.step(`uploading ${ctx.sessionId}`);
  let done = session.files.filter((f) => !going.includes(f)).reduce((n, f) => n + f.size, 0);
  const progress = (n: number) => deps.reporter.progress((done += n) / session.totalBytes, `${mb(done)} of ${mb(session.totalBytes)}`);
  progress(0);
  const c: SendContext = { ...ctx, session: session.session, broker: run.broker, scope: run.scope, progress };
  const slots = new Window(FILE_SLOTS);
  await mapLimit(going, ctx.window.max, async (f) => {
    const entry = journal.files[f.name];
    entry.sent = true;
    await deps.journals.save(journal);
    if (entry.partSize !== undefined) await sendInSlot(c, f, entry, slots);
    else await sendSingle(c, f);
    entry.done = true;
    await deps.journals.save(journal);
  });
}

function alreadyUploaded(ctx: UploadContext, state: SessionState): UploadResult {
  ctx.deps.reporter.succeed(`${ctx.sessionId} is already uploaded`);
  ctx.log.log('info', 'upload.already_uploaded', { revision: state.revision ?? 1 });
  return {
    sessionId: ctx.sessionId,
    dir: ctx.session.dir,
    status: 'already_uploaded',
    files: ctx.session.files.length,
    totalBytes: ctx.session.totalBytes,
    bytesSent: 0,
    durationMs: ctx.clock.now().getTime() - ctx.startedMs,
    manifestSha256: ctx.journal.committed?.manifestSha256 ?? '',
    revision: state.revision ?? 1,
  };
}

/**
 * Whether `f` still has to be sent, from what the store holds at its key: nothing or a partial
 * upload of ours (send), this file's bytes stored by a run that stopped before noting it (adopt),
 * other bytes (an earlier run sent the file while the rig was still writing it: write-once keeps
 * them, and the file goes to a key of its own, which the manifest will pin).
 */
function keep(ctx: UploadContext, f: SessionFile, state: SessionState): boolean {
  const entry: JournalFile = ctx.journal.files[f.name];
  const stored = storedAt(state, entry);
  if (entry.done && stored === f.size) return false;
  // A multipart upload under way was begun for this unchanged file (a changed file's entry is reset).
  const ours = entry.sent === true || entry.uploadId !== undefined;
  if (ours && stored === f.size) {
    ctx.log.log('warn', 'upload.adopted_remote', { file: f.name });
    entry.done = true;
    return false;
  }
  if (stored !== undefined) {
    entry.attempt = randomBytes(6).toString('hex');
    Object.assign(entry, { uploadId: undefined, ticket: undefined, doneParts: [], done: false });
    ctx.log.log('warn', 'upload.new_attempt', { file: f.name, attempt: entry.attempt });
  }
  return true;
}

/** Size of what the store holds where `entry` is to be stored. */
function storedAt(state: SessionState, entry: JournalFile): number | undefined {
  if (!entry.attempt) return state.objects.find((o) => o.name === entry.name)?.size;
  return state.attempts?.find((o) => o.attempt === entry.attempt && o.name === entry.name)?.size;
}
