/**
 * The upload engine: one validated session folder into the raw store, whole, once,
 * bit-identical, resumable.
 *
 *   hash every file once (SHA-256, per-part CRC32C)  -> journal
 *   ask the server what it has: committed identical -> "already uploaded"; new or changed files
 *     since the newest revision -> send those to attempt keys and commit the next revision
 *   send each missing file (send-file.ts); a key holding bytes of the file from before the rig
 *     finished writing it is left alone and the file goes to an attempt key the manifest pins
 *   re-stat every file (changed since hashing -> error, nothing committed)
 *   commit the manifest (the commit marker), last
 *
 * Local files are only ever read.
 */
import { randomBytes } from 'node:crypto';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { stat } from 'node:fs/promises';
import { RecpipeError } from '../core/errors.js';
import { buildManifest } from '../core/ingest/manifest.js';
import { revisionOf, type Manifest } from '../core/session/manifest-types.js';
import { needsRevision, nextRevision } from '../core/session/revisions.js';
import { changedFiles } from '../core/session/served-revision.js';
import { planRevision } from './revision-plan.js';
import { effectivePartSize, useMultipart } from '../core/ingest/plan.js';
import { reconcileFile, sameFile, type JournalFile } from '../core/ingest/journal-types.js';
import type { IngestApi, Logger, Reporter } from '../core/ports.js';
import type { SessionFile, ValidatedSession } from '../core/session/validation-types.js';
import type { JournalStore } from '../adapters/fs/journal-store.js';
import { CLIENT_NAME, VERSION } from '../version.js';
import { HashWorker } from './hash-worker.js';
import type { PutTransport } from './put-transport.js';
import { withRetry } from './retry.js';
import { TokenSource } from './token-source.js';
import { BufferPool } from './buffer-pool.js';
import type { Throttle } from './throttle.js';
import { partsInFlight, Window } from './window.js';
import { mapLimit } from '../core/map-limit.js';
import { acquireLock } from '../adapters/fs/lock-file.js';
import { changed, sendSingle } from './send-file.js';
import { sendInSlot } from './file-slot.js';
import { PartSizer } from './part-sizer.js';

export interface UploadDeps {
  api: IngestApi;
  apiKey: string;
  journals: JournalStore;
  transport: PutTransport;
  reporter: Reporter;
  logger: Logger;
  signal?: AbortSignal;
  /** Shared across sessions so one daemon authenticates once. */
  tokens?: TokenSource;
  /** Recorded in the manifest: which IngestApi carried the upload (default 'api'). */
  clientTransport?: 'api' | 'direct';
}

export interface UploadOptions {
  /** The part size files start with (and the smallest). */
  partSize: number;
  /** The largest part size a file may be given when the link is not the limit (part-sizer.ts); unset: partSize. */
  largePartSize?: number;
  multipartThreshold: number;
  /** At most this many PUTs in flight (the memory budget may allow fewer). */
  concurrency: number;
  /** Bytes the part buffers may take, shared by all files (default: concurrency parts). */
  memoryBudget?: number;
  /** --bwlimit: bytes sent are taken from this bucket. */
  throttle?: Throttle;
  retries?: number;
}

export interface UploadResult {
  sessionId: string;
  dir: string;
  /** `revised`: the session was committed before; what the rig wrote since is archived as `revision`. */
  status: 'uploaded' | 'already_uploaded' | 'revised';
  /** The session's newest revision after this upload (1 = the first commit). */
  revision?: number;
  /**
   * For `revised`: archived files whose bytes this revision changes (or `metadata variables`).
   * Such a revision is held for a person's review (core/session/served-revision.ts).
   */
  changesArchived?: string[];
  files: number;
  totalBytes: number;
  bytesSent: number;
  durationMs: number;
  manifestSha256: string;
}

export async function uploadSession(session: ValidatedSession, deps: UploadDeps, options: UploadOptions): Promise<UploadResult> {
  const started = Date.now();
  const { api, signal } = deps;
  const tokens = deps.tokens ?? new TokenSource(api, deps.apiKey);
  const retry = <T>(what: string, fn: () => Promise<T>, onRetry?: (e: RecpipeError) => void) =>
    withRetry(fn, tokens, { what, signal, logger: deps.logger, retries: options.retries, onRetry });
  const auth = await retry('authenticate', () => tokens.get());
  const sessionId = `${auth.rig}/${session.session}`;
  // Two runs on one session would send the same parts and race on one journal: the second stops.
  const lock = await acquireLock(
    deps.journals.lockPath(auth.rig, session.session),
    session.dir,
    (h) =>
      new RecpipeError(
        'locked',
        `another recpipe upload (pid ${h.pid}, since ${h.startedAt ?? 'an unknown time'}) is uploading ${sessionId}; nothing was sent`,
        {
          hint: 'let it finish (it sends the same files), then run again to confirm',
          retryable: true,
        },
      ),
  );
  try {
    return await uploadLocked(session, deps, options, { auth, sessionId, tokens, retry, started });
  } finally {
    await lock.release();
  }
}

async function uploadLocked(
  session: ValidatedSession,
  deps: UploadDeps,
  options: UploadOptions,
  {
    auth,
    sessionId,
    tokens,
    retry,
    started,
  }: {
    auth: { rig: string };
    sessionId: string;
    tokens: TokenSource;
    retry: <T>(what: string, fn: () => Promise<T>, onRetry?: (e: RecpipeError) => void) => Promise<T>;
    started: number;
  },
): Promise<UploadResult> {
  const { api, reporter } = deps;
  const log = deps.logger.child({ sessionId });
  const journal = await deps.journals.load(auth.rig, session.session, session.dir);
  const sentBefore = deps.transport.bytesSent;
  for (const f of session.files) reconcileFile(journal, f, useMultipart(f.size, options.multipartThreshold) ? options.partSize : undefined);
  // One block of part buffers, the memory budget (or the largest part any file will send, if
  // larger: a resumed file keeps the part size it began with; a huge file's parts grow). Parts in
  // flight: as many as the block holds at the configured (smallest) part size.
  const large = options.largePartSize ?? options.partSize;
  const budget = options.memoryBudget ?? options.concurrency * options.partSize;
  const blockBytes = Math.max(
    budget,
    ...session.files.map((f) => {
      const e = journal.files[f.name];
      return e.partSize ? effectivePartSize(f.size, e.uploadId ? e.partSize : Math.max(e.partSize, large)) : 0;
    }),
  );
  const inFlight = partsInFlight(blockBytes, options.partSize, options.concurrency);
  // Each part in flight listens on the run's signal (its request, a --bwlimit wait, a retry
  // pause) and lets go when it ends: more than Node's default of 10 at once is not a leak.
  if (deps.signal) setMaxListeners(Math.max(getMaxListeners(deps.signal), 3 * inFlight + 10), deps.signal);
  const pool = new BufferPool(blockBytes);
  const window = new Window(inFlight);
  const sizer = new PartSizer(options.partSize, large, blockBytes, () => performance.now());
  // Two multipart files starting parts at a time, so one file's last parts and completion
  // overlap the next file's first parts (sendInSlot); small files (one PUT each) go alongside,
  // up to the window.
  const multipartFiles = new Window(2);
  // Whole-file SHA-256 runs on a worker thread (the second core) while this thread sends parts;
  // small files first, since their single PUT needs the hash up front.
  const hasher = new HashWorker(session.files.filter((f) => !journal.files[f.name].sha256).sort((a, b) => a.size - b.size));
  const sha256Of = async (f: SessionFile): Promise<string> => {
    const entry = journal.files[f.name];
    if (!entry.sha256) {
      const h = await hasher.result(f.name);
      if (h.size !== f.size) throw changed(f, 'its size changed while it was hashed');
      entry.sha256 = h.sha256;
      await deps.journals.save(journal);
    }
    return entry.sha256;
  };
  const manifestNow = async () =>
    buildManifest({
      session,
      rig: auth.rig,
      sha256: Object.fromEntries(await Promise.all(session.files.map(async (f) => [f.name, await sha256Of(f)] as const))),
      client: { name: CLIENT_NAME, version: VERSION, host: hostname(), transport: deps.clientTransport ?? 'api' },
      createdAt: new Date().toISOString(),
      attempts: Object.fromEntries(session.files.map((f) => [f.name, journal.files[f.name].attempt])),
    });
  try {
    return await send();
  } finally {
    await hasher.close();
  }

  async function send(): Promise<UploadResult> {
    const state = await retry('session state', async () => api.sessionState((await tokens.get()).token, session.session));
    // A committed session whose rig copy holds more (written after the commit: a rig that
    // paused longer than the quiet period) is archived as its next revision.
    let base: Manifest | undefined;
    let toSend = session.files;
    if (state.committed && state.manifest) {
      reporter.step(`checking ${sessionId} against the uploaded copy`);
      const local = await manifestNow();
      if (!needsRevision(state.manifest, local)) {
        reporter.succeed(`${sessionId} is already uploaded`);
        log.log('info', 'upload.already_uploaded', { revision: state.revision ?? 1 });
        return {
          sessionId,
          dir: session.dir,
          status: 'already_uploaded',
          files: session.files.length,
          totalBytes: session.totalBytes,
          bytesSent: 0,
          durationMs: Date.now() - started,
          manifestSha256: journal.committed?.manifestSha256 ?? '',
          revision: state.revision ?? 1,
        };
      }
      base = state.manifest;
      const { changes } = planRevision(base, local, journal);
      await deps.journals.save(journal);
      toSend = session.files.filter((f) => changes.includes(f.name));
      log.log('info', 'upload.revision_planned', { revision: revisionOf(base) + 1, files: changes });
    }
    const remote = new Map(state.objects.map((o) => [o.name, o.size]));
    for (const a of state.attempts ?? []) remote.set(`${a.attempt}/${a.name}`, a.size);
    /** Size of what the store holds where `entry` is to be stored. */
    const storedAt = (entry: JournalFile) => remote.get(entry.attempt ? `${entry.attempt}/${entry.name}` : entry.name);

    reporter.step(`uploading ${sessionId}`);
    let done = session.files
      .filter((f) => !toSend.includes(f) || (journal.files[f.name].done && storedAt(journal.files[f.name]) === f.size))
      .reduce((n, f) => n + f.size, 0);
    const progress = (n: number) => reporter.progress((done += n) / session.totalBytes, `${mb(done)} of ${mb(session.totalBytes)}`);
    progress(0);
    const sendFile = async (f: SessionFile) => {
      const entry = journal.files[f.name];
      const stored = storedAt(entry);
      if (entry.done && stored === f.size) return;
      // A multipart upload under way was begun for this unchanged file (a changed file's entry is reset).
      const ours = entry.sent === true || entry.uploadId !== undefined;
      if (ours && stored === f.size) {
        // Stored from this unchanged file by an earlier run that stopped before noting it.
        log.log('warn', 'upload.adopted_remote', { file: f.name });
        entry.done = true;
        progress(f.size);
        return;
      }
      if (stored !== undefined) {
        // The key holds other bytes: an earlier run sent this file while the rig was still
        // writing it (nothing was committed). Write-once keeps them; this file goes to a key of
        // its own, which the manifest will pin.
        entry.attempt = randomBytes(6).toString('hex');
        entry.uploadId = undefined;
        entry.doneParts = [];
        entry.done = false;
        log.log('warn', 'upload.new_attempt', { file: f.name, attempt: entry.attempt });
      }
      entry.sent = true;
      await deps.journals.save(journal);
      const ctx = { deps, tokens, retry, journal, session: session.session, options, pool, sizer, window, progress, log, sha256Of };
      if (entry.partSize) await sendInSlot(ctx, f, entry, multipartFiles);
      else await sendSingle(ctx, f);
      entry.done = true;
      await deps.journals.save(journal);
    };
    // The window caps the PUTs in flight overall. A failure stops new work and waits for what
    // is in flight, so nothing is still sending after this call has reported the error.
    await mapLimit(toSend, window.max, sendFile);

    for (const f of session.files) {
      const s = await stat(f.path);
      const entry = journal.files[f.name];
      if (!sameFile(entry, { name: f.name, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, ctimeMs: s.ctimeMs }))
        throw changed(f, 'it changed after it was hashed');
    }
    const manifest = base
      ? nextRevision(base, await manifestNow(), Object.fromEntries(toSend.map((f) => [f.name, journal.files[f.name].attempt!])))
      : await manifestNow();
    reporter.step(base ? `committing ${sessionId} revision ${manifest.revision}` : `committing ${sessionId}`);
    const committed = await retry('commit', async () => api.commit((await tokens.get()).token, manifest));
    journal.committed = { manifestSha256: committed.manifestSha256, at: new Date().toISOString() };
    await deps.journals.save(journal);
    const bytesSent = deps.transport.bytesSent - sentBefore;
    const revision = committed.revision ?? 1;
    if (revision > 1) reporter.succeed(`session ${sessionId} revision ${revision} archived: ${toSend.length} new or changed file(s), ${mb(bytesSent)} sent`);
    else
      reporter.succeed(
        `uploaded ${sessionId}: ${session.files.length} files, ${mb(session.totalBytes)}${committed.status === 'already_committed' ? ' (already committed)' : ''}`,
      );
    log.log('info', revision > 1 ? 'upload.revision_committed' : 'upload.committed', {
      files: session.files.length,
      bytes: session.totalBytes,
      bytesSent,
      manifestSha256: committed.manifestSha256,
      revision,
      ms: Date.now() - started,
    });
    return {
      sessionId,
      dir: session.dir,
      status: revision > 1 ? 'revised' : committed.status === 'already_committed' ? 'already_uploaded' : 'uploaded',
      revision,
      ...(base && revision > 1 ? { changesArchived: changedFiles(base, manifest).map((c) => c.name) } : {}),
      files: session.files.length,
      totalBytes: session.totalBytes,
      bytesSent,
      durationMs: Date.now() - started,
      manifestSha256: committed.manifestSha256,
    };
  }
}

export function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
