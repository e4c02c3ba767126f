/**
 * Sending one file of a session: a single PUT (whole-file SHA-256 signed) or a multipart upload
 * (each part's CRC32C signed, URLs asked for just before use, parts journaled as they finish,
 * completed against the store with a presigned request). Both are idempotent: a retry after a
 * success whose answer was lost ends in success, not in "already exists".
 */
import { crc32c } from '@node-rs/crc32';
import type { Checksum } from '../core/api.js';
import { RecpipeError } from '../core/errors.js';
import { planParts } from '../core/ingest/plan.js';
import type { Journal, JournalFile } from '../core/ingest/journal-types.js';
import type { Logger } from '../core/ports.js';
import type { SessionFile } from '../core/session/validation-types.js';
import { mapLimit } from '../core/map-limit.js';
import type { BufferPool } from './buffer-pool.js';
import { crc32cBase64, hexToBase64 } from './checksums.js';
import type { PartSizer } from './part-sizer.js';
import type { TokenSource } from './token-source.js';
import type { UploadDeps, UploadOptions } from './upload-session.js';
import { isSlowDown, type Window } from './window.js';

export interface SendContext {
  deps: UploadDeps;
  tokens: TokenSource;
  retry: <T>(what: string, fn: () => Promise<T>, onRetry?: (e: RecpipeError) => void) => Promise<T>;
  journal: Journal;
  /** PUTs in flight, lowered on 503 SlowDown. */
  window: Window;
  session: string;
  options: UploadOptions;
  pool: BufferPool;
  /** Times the PUTs, to choose the part size of files started later. */
  sizer: PartSizer;
  progress: (n: number) => void;
  log: Logger;
  sha256Of: (f: SessionFile) => Promise<string>;
}

export async function sendSingle(c: SendContext, f: SessionFile): Promise<void> {
  const checksum: Checksum = { algorithm: 'SHA256', value: hexToBase64(await c.sha256Of(f)) };
  const attempt = c.journal.files[f.name].attempt;
  await c.window.with(() =>
    c.retry(
      `upload ${f.name}`,
      async () => {
        const url = await c.deps.api.presignPut((await c.tokens.get()).token, { session: c.session, file: f.name, attempt, size: f.size, checksum });
        try {
          await c.deps.transport.put(url, { path: f.path, start: 0, size: f.size }, c.deps.signal, c.options.throttle);
        } catch (e) {
          // "Exists" on a retry: the first PUT stored it and its answer was lost. The key was free
          // when this run began sending (upload-session.ts checks), so the object is this file's
          // bytes (the PUT binds their SHA-256) when it has their size.
          if (!(e instanceof RecpipeError && e.code === 'conflict')) throw e;
          const state = await c.deps.api.sessionState((await c.tokens.get()).token, c.session);
          const size = attempt
            ? state.attempts?.find((o) => o.attempt === attempt && o.name === f.name)?.size
            : state.objects.find((o) => o.name === f.name)?.size;
          if (size !== f.size) throw e;
          c.log.log('warn', 'upload.put_already_stored', { file: f.name });
        }
      },
      slowDown(c),
    ),
  );
  c.window.succeeded();
  c.progress(f.size);
}

/** `allStarted`: called once every part still to send has started (the probing file lets the next one start). */
export async function sendMultipart(c: SendContext, f: SessionFile, entry: JournalFile, allStarted?: () => void): Promise<void> {
  const { api, transport, journals, signal } = c.deps;
  if (!entry.uploadId) {
    const started = await c.retry(`start ${f.name}`, async () =>
      api.startMultipart((await c.tokens.get()).token, { session: c.session, file: f.name, attempt: entry.attempt, size: f.size }),
    );
    entry.uploadId = started.uploadId;
    entry.doneParts = [];
    await journals.save(c.journal);
  }
  const have = new Set(entry.doneParts.map((p) => p.partNumber));
  const parts = planParts(f.size, entry.partSize!);
  for (const p of parts) if (have.has(p.partNumber)) c.progress(p.size);
  const todo = parts.filter((p) => !have.has(p.partNumber));
  let started = 0;
  if (todo.length === 0) allStarted?.();
  await mapLimit(todo, c.window.max, async (part) => {
    signal?.throwIfAborted();
    await c.window.acquire();
    const buffer = await c.pool.acquire(part.size);
    if (++started === todo.length) allStarted?.();
    try {
      const body = await c.pool.fill(buffer, f.path, part.offset);
      if (body.length !== part.size) throw changed(f, 'it became shorter while it was uploaded');
      // The CRC32C of exactly the bytes about to be sent, bound into the part's URL.
      const checksum: Checksum = { algorithm: 'CRC32C', value: crc32cBase64(crc32c(body)) };
      const { etag } = await c.retry(
        `part ${part.partNumber} of ${f.name}`,
        async () => {
          const url = await api.presignPart((await c.tokens.get()).token, {
            session: c.session,
            file: f.name,
            attempt: entry.attempt,
            uploadId: entry.uploadId!,
            partNumber: part.partNumber,
            size: part.size,
            checksum,
          });
          const at = c.sizer.starting();
          const sent = await transport.put(url, { buffer: body }, signal, c.options.throttle);
          c.sizer.sent(part.size, at);
          return sent;
        },
        slowDown(c),
      );
      // A retry re-sends this same buffer: nothing is read from the disk twice.
      c.window.succeeded();
      entry.doneParts.push({ partNumber: part.partNumber, etag, checksum });
      // The part keeps its place in the window until its record is written: a crash re-sends at
      // most the parts in flight (the chaos suite's bound). A failed save is not fatal here (the
      // part is sent again after a crash); the save below, before completing, reports it.
      await journals.save(c.journal).catch(() => undefined);
      c.progress(part.size);
    } finally {
      c.pool.release(buffer);
      c.window.release();
    }
  });
  await journals.save(c.journal);
  const sorted = [...entry.doneParts].sort((a, b) => a.partNumber - b.partNumber);
  const request = { session: c.session, file: f.name, attempt: entry.attempt, uploadId: entry.uploadId, parts: sorted, presigned: true };
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

/** On 503 SlowDown, fewer PUTs in flight (each retry also waits its backoff). */
const slowDown = (c: SendContext) => (e: RecpipeError) => {
  if (!isSlowDown(e)) return;
  c.window.slowDown();
  c.log.log('warn', 'upload.slow_down', { partsInFlight: c.window.limit });
};

/** The error for a file that changed while it was read: nothing is committed, a re-run sends it again. */
export function changed(f: SessionFile, why: string): RecpipeError {
  return new RecpipeError('integrity', `${f.path}: ${why}; nothing was committed`, {
    hint: 'wait until the rig has finished writing the session, then upload again',
    retryable: false,
  });
}
