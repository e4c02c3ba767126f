/**
 * The upload engine: one validated session folder into the raw store, whole, once,
 * bit-identical, resumable.
 *
 *   hash every file once (SHA-256, per-part CRC32C)  -> journal
 *   ask the server what it has: committed identical -> "already uploaded"; different -> conflict
 *   send each missing file: single PUT (SHA-256 signed) or multipart (each part's CRC32C signed,
 *     URLs asked for just before use, parts journaled as they finish)
 *   re-stat every file (changed since hashing -> error, nothing committed)
 *   commit the manifest (the commit marker), last
 *
 * Local files are only ever read.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { stat } from 'node:fs/promises';
import type { Checksum } from '../core/api.js';
import { RecpipeError } from '../core/errors.js';
import { buildManifest, manifestDifferences } from '../core/ingest/manifest.js';
import { planParts, useMultipart } from '../core/ingest/plan.js';
import { reconcileFile, sameFile, type Journal, type JournalFile } from '../core/ingest/journal-types.js';
import type { IngestApi, Logger, Reporter } from '../core/ports.js';
import type { SessionFile, ValidatedSession } from '../core/session/validation-types.js';
import type { JournalStore } from '../adapters/fs/journal-store.js';
import { CLIENT_NAME, VERSION } from '../version.js';
import { crc32cBase64, hexToBase64 } from './checksums.js';
import { HashWorker } from './hash-worker.js';
import { crc32c } from '@node-rs/crc32';
import type { PutTransport } from './put-transport.js';
import { withRetry } from './retry.js';
import { TokenSource } from './token-source.js';
import { BufferPool } from './buffer-pool.js';
import { mapLimit } from '../core/map-limit.js';
import { acquireLock } from '../adapters/fs/lock-file.js';

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
  partSize: number;
  multipartThreshold: number;
  concurrency: number;
  retries?: number;
}

export interface UploadResult {
  sessionId: string;
  dir: string;
  status: 'uploaded' | 'already_uploaded';
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
  const retry = <T>(what: string, fn: () => Promise<T>) => withRetry(fn, tokens, { what, signal, logger: deps.logger, retries: options.retries });
  const auth = await retry('authenticate', () => tokens.get());
  const sessionId = `${auth.rig}/${session.session}`;
  // Two runs on one session would send the same parts and race on one journal: the second stops.
  const lock = await acquireLock(deps.journals.lockPath(auth.rig, session.session), session.dir, (h) =>
    new RecpipeError('locked', `another recpipe upload (pid ${h.pid}, since ${h.startedAt ?? 'an unknown time'}) is uploading ${sessionId}; nothing was sent`, {
      hint: 'let it finish (it sends the same files), then run again to confirm', retryable: true,
    }));
  try {
    return await uploadLocked(session, deps, options, { auth, sessionId, tokens, retry, started });
  } finally {
    await lock.release();
  }
}

async function uploadLocked(
  session: ValidatedSession, deps: UploadDeps, options: UploadOptions,
  { auth, sessionId, tokens, retry, started }: { auth: { rig: string }; sessionId: string; tokens: TokenSource; retry: <T>(what: string, fn: () => Promise<T>) => Promise<T>; started: number },
): Promise<UploadResult> {
  const { api, reporter } = deps;
  const log = deps.logger.child({ sessionId });
  const journal = await deps.journals.load(auth.rig, session.session, session.dir);
  const sentBefore = deps.transport.bytesSent;
  const pool = new BufferPool(options.partSize, options.concurrency);

  for (const f of session.files) reconcileFile(journal, f, useMultipart(f.size, options.multipartThreshold) ? options.partSize : undefined);
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
    if (state.committed && state.manifest) {
      reporter.step(`checking ${sessionId} against the uploaded copy`);
      const diffs = manifestDifferences(state.manifest, await manifestNow());
      if (diffs.length > 0) {
        throw new RecpipeError('conflict', `${sessionId} is already uploaded with different content (${diffs.join(', ')}); nothing was overwritten`, {
          hint: 'if this is a different recording, rename its folder to its real start time; if the rig copy was altered, restore it',
          details: { differing: diffs },
        });
      }
      reporter.succeed(`${sessionId} is already uploaded`);
      log.log('info', 'upload.already_uploaded', {});
      return { sessionId, dir: session.dir, status: 'already_uploaded', files: session.files.length, totalBytes: session.totalBytes, bytesSent: 0, durationMs: Date.now() - started, manifestSha256: journal.committed?.manifestSha256 ?? '' };
    }
    const remote = new Map(state.objects.map((o) => [o.name, o.size]));
    for (const a of state.attempts ?? []) remote.set(`${a.attempt}/${a.name}`, a.size);
    /** Size of what the store holds where `entry` is to be stored. */
    const storedAt = (entry: JournalFile) => remote.get(entry.attempt ? `${entry.attempt}/${entry.name}` : entry.name);

    reporter.step(`uploading ${sessionId}`);
    let done = session.files.filter((f) => journal.files[f.name].done && storedAt(journal.files[f.name]) === f.size).reduce((n, f) => n + f.size, 0);
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
      const ctx = { deps, tokens, retry, journal, session: session.session, options, pool, progress, log, sha256Of };
      if (entry.partSize) await sendMultipart(ctx, f, entry);
      else await sendSingle(ctx, f);
      entry.done = true;
      await deps.journals.save(journal);
    };
    // Two files at a time, so one file's last parts and completion overlap the next file's
    // first parts; the buffer pool caps the parts in flight overall at `concurrency`.
    // A failure stops new work and waits for what is in flight, so nothing is still sending
    // after this call has reported the error.
    await mapLimit(session.files, 2, sendFile);

    for (const f of session.files) {
      const s = await stat(f.path);
      const entry = journal.files[f.name];
      if (!sameFile(entry, { name: f.name, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, ctimeMs: s.ctimeMs })) throw changed(f, 'it changed after it was hashed');
    }
    const manifest = await manifestNow();
    reporter.step(`committing ${sessionId}`);
    const committed = await retry('commit', async () => api.commit((await tokens.get()).token, manifest));
    journal.committed = { manifestSha256: committed.manifestSha256, at: new Date().toISOString() };
    await deps.journals.save(journal);
    const bytesSent = deps.transport.bytesSent - sentBefore;
    reporter.succeed(`uploaded ${sessionId}: ${session.files.length} files, ${mb(session.totalBytes)}${committed.status === 'already_committed' ? ' (already committed)' : ''}`);
    log.log('info', 'upload.committed', { files: session.files.length, bytes: session.totalBytes, bytesSent, manifestSha256: committed.manifestSha256, ms: Date.now() - started });
    return {
      sessionId,
      dir: session.dir,
      status: committed.status === 'already_committed' ? 'already_uploaded' : 'uploaded',
      files: session.files.length,
      totalBytes: session.totalBytes,
      bytesSent,
      durationMs: Date.now() - started,
      manifestSha256: committed.manifestSha256,
    };
  }
}

interface SendContext {
  deps: UploadDeps;
  tokens: TokenSource;
  retry: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  journal: Journal;
  session: string;
  options: UploadOptions;
  pool: BufferPool;
  progress: (n: number) => void;
  log: Logger;
  sha256Of: (f: SessionFile) => Promise<string>;
}

async function sendSingle(c: SendContext, f: SessionFile): Promise<void> {
  const checksum: Checksum = { algorithm: 'SHA256', value: hexToBase64(await c.sha256Of(f)) };
  await c.retry(`upload ${f.name}`, async () => {
    const url = await c.deps.api.presignPut((await c.tokens.get()).token, { session: c.session, file: f.name, attempt: c.journal.files[f.name].attempt, size: f.size, checksum });
    await c.deps.transport.put(url, { path: f.path, start: 0, size: f.size }, c.deps.signal);
  });
  c.progress(f.size);
}

async function sendMultipart(c: SendContext, f: SessionFile, entry: JournalFile): Promise<void> {
  const { api, transport, journals, signal } = c.deps;
  if (!entry.uploadId) {
    const started = await c.retry(`start ${f.name}`, async () => api.startMultipart((await c.tokens.get()).token, { session: c.session, file: f.name, attempt: entry.attempt, size: f.size }));
    entry.uploadId = started.uploadId;
    entry.doneParts = [];
    await journals.save(c.journal);
  }
  const have = new Set(entry.doneParts.map((p) => p.partNumber));
  const parts = planParts(f.size, entry.partSize!);
  for (const p of parts) if (have.has(p.partNumber)) c.progress(p.size);
  const todo = parts.filter((p) => !have.has(p.partNumber));
  await mapLimit(todo, c.options.concurrency, async (part) => {
    signal?.throwIfAborted();
    const buffer = await c.pool.acquire();
    try {
      const body = await c.pool.fill(buffer, f.path, part.offset, part.size);
      if (body.length !== part.size) throw changed(f, 'it became shorter while it was uploaded');
      // The CRC32C of exactly the bytes about to be sent, bound into the part's URL.
      const checksum: Checksum = { algorithm: 'CRC32C', value: crc32cBase64(crc32c(body)) };
      const { etag } = await c.retry(`part ${part.partNumber} of ${f.name}`, async () => {
        const url = await api.presignPart((await c.tokens.get()).token, { session: c.session, file: f.name, attempt: entry.attempt, uploadId: entry.uploadId!, partNumber: part.partNumber, size: part.size, checksum });
        return transport.put(url, { buffer: body }, signal);
      });
      entry.doneParts.push({ partNumber: part.partNumber, etag, checksum });
      // Not awaited: the next part need not wait for an fsync. A part whose record is lost in
      // a crash is sent again; the save below, before completing, makes the state durable
      // and reports a journal that cannot be written.
      journals.save(c.journal).catch(() => undefined);
      c.progress(part.size);
    } finally {
      c.pool.release(buffer);
    }
  });
  await journals.save(c.journal);
  const sorted = [...entry.doneParts].sort((a, b) => a.partNumber - b.partNumber);
  const request = { session: c.session, file: f.name, attempt: entry.attempt, uploadId: entry.uploadId!, parts: sorted, presigned: true };
  await c.retry(`complete ${f.name}`, async () => {
    const r = await api.completeMultipart((await c.tokens.get()).token, request);
    // An API without presigned completion (or a retry finding the object stored) says completed.
    if (r.status !== 'pending' || !r.request) return;
    try {
      await transport.complete(r.request, signal);
    } catch (e) {
      // The store's answer may be lost, or be "no such upload" / "exists" because an earlier try
      // already stored the object: the API tells whether the object is these parts.
      const again = await api.completeMultipart((await c.tokens.get()).token, request).catch(() => undefined);
      if (again?.status === 'completed') return;
      throw e;
    }
  });
}

function changed(f: SessionFile, why: string): RecpipeError {
  return new RecpipeError('integrity', `${f.path}: ${why}; nothing was committed`, { hint: 'wait until the rig has finished writing the session, then upload again', retryable: false });
}

export function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
