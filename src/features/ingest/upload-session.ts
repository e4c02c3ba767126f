/**
 * The upload engine: one validated session folder into the raw store, whole, once,
 * bit-identical, resumable.
 *
 *   read every file on a worker thread (CRC32C per block first, then SHA-256)  -> journal
 *   ask the server what it has: committed identical -> "already uploaded"; new or changed files
 *     since the newest revision -> send those to attempt keys and commit the next revision
 *   send each missing file (upload-send.ts), its URLs signed ahead in batches (url-broker.ts);
 *     a key holding bytes of the file from before the rig finished writing it is left alone
 *     and the file goes to an attempt key the manifest pins
 *   re-stat every file (changed since hashing -> error, nothing committed)
 *   commit the manifest (the commit marker), last (upload-commit.ts)
 *
 * Local files are only ever read.
 */
import { hostname } from 'node:os';
import { RecpipeError } from '../../core/errors.js';
import { buildManifest } from '../../core/ingest/manifest.js';
import { gcd } from '../../core/ingest/part-crc.js';
import { effectivePartSize, useMultipart } from '../../core/ingest/plan.js';
import { reconcileFile } from '../../core/ingest/journal-types.js';
import type { SessionFile, ValidatedSession } from '../../core/session/validation-types.js';
import { systemClock } from '../../adapters/system/clock.js';
import { acquireLock } from '../../adapters/fs/lock-file.js';
import { CLIENT_NAME, VERSION } from '../../version.js';
import { BufferPool } from './buffer-pool.js';
import { HashWorker } from './hash-worker.js';
import { PartSizer } from './part-sizer.js';
import { withRetry } from './retry.js';
import { changed, type Retry } from './send-file.js';
import { TokenSource } from './token-source.js';
import { commitUpload } from './upload-commit.js';
import { sendFiles } from './upload-send.js';
import type { UploadContext, UploadDeps, UploadOptions, UploadResult } from './upload-types.js';
import { partsInFlight, Window } from './window.js';

export type { UploadDeps, UploadOptions, UploadResult } from './upload-types.js';

const MiB = 1024 * 1024;

export async function uploadSession(session: ValidatedSession, deps: UploadDeps, options: UploadOptions): Promise<UploadResult> {
  const clock = deps.clock ?? systemClock;
  const startedMs = clock.now().getTime();
  const { api, signal } = deps;
  // The reading pass starts at once: its checksums sign the first batch of URLs, so it runs
  // while the API is asked who we are. Small files first (their PUT needs the whole file's
  // SHA-256), then multipart files in the order they are sent.
  const small = (f: SessionFile) => !useMultipart(f.size, options.multipartThreshold);
  const singles = session.files.filter(small).sort((a, b) => a.size - b.size);
  const hasher = new HashWorker(
    [...singles, ...session.files.filter((f) => !small(f))],
    gcd(gcd(MiB, options.partSize), options.largePartSize ?? options.partSize),
    // Multipart files: their part CRC32Cs first, their SHA-256 (the manifest's) after.
    singles.length,
  );
  const tokens = deps.tokens ?? new TokenSource(api, deps.apiKey, clock);
  const retry: Retry = (what, fn, onRetry, sig = signal) =>
    withRetry(fn, tokens, { what, signal: sig, logger: deps.logger, retries: options.retries, onRetry });
  try {
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
      const ctx = await prepare(session, deps, options, { rig: auth.rig, sessionId, tokens, retry, clock, startedMs, hasher });
      const sent = await sendFiles(ctx);
      return 'result' in sent ? sent.result : await commitUpload(ctx, sent);
    } finally {
      await lock.release();
    }
  } finally {
    await hasher.close();
  }
}

type Given = Pick<UploadContext, 'sessionId' | 'tokens' | 'retry' | 'clock' | 'startedMs' | 'hasher'> & { rig: string };

/** The journal, reconciled with the folder, and the part buffers, window and sizer the files share. */
async function prepare(session: ValidatedSession, deps: UploadDeps, options: UploadOptions, g: Given): Promise<UploadContext> {
  const journal = await deps.journals.load(g.rig, session.session, session.dir);
  for (const f of session.files) {
    const partSize = useMultipart(f.size, options.multipartThreshold) ? options.partSize : undefined;
    const entry = reconcileFile(journal, f, partSize);
    // Parts start on the reading pass's blocks: an upload begun with a part size that does not, anew.
    if (entry.ticket && effectivePartSize(f.size, entry.partSize!) % g.hasher.blockSize !== 0) {
      delete journal.files[f.name];
      reconcileFile(journal, f, partSize);
    }
  }
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
  const hashedSha256 = async (f: SessionFile): Promise<string> => {
    const known = journal.files[f.name].sha256;
    if (known) return known;
    const h = await g.hasher.result(f.name);
    if (h.size !== f.size) throw changed(f, 'its size changed while it was hashed');
    return h.sha256;
  };
  const sha256Of = async (f: SessionFile): Promise<string> => {
    const entry = journal.files[f.name];
    if (!entry.sha256) {
      entry.sha256 = await hashedSha256(f);
      await deps.journals.save(journal);
    }
    return entry.sha256;
  };
  const manifestNow = async () =>
    buildManifest({
      session,
      rig: g.rig,
      sha256: Object.fromEntries(await Promise.all(session.files.map(async (f) => [f.name, await sha256Of(f)] as const))),
      client: { name: CLIENT_NAME, version: VERSION, host: hostname(), transport: deps.clientTransport ?? 'api' },
      createdAt: g.clock.now().toISOString(),
      attempts: Object.fromEntries(session.files.map((f) => [f.name, journal.files[f.name].attempt])),
    });
  return {
    ...g,
    session,
    deps,
    options,
    journal,
    log: deps.logger.child({ sessionId: g.sessionId }),
    pool: new BufferPool(blockBytes),
    window: new Window(partsInFlight(blockBytes, options.partSize, options.concurrency)),
    sizer: new PartSizer(options.partSize, large, blockBytes, () => performance.now()),
    blockBytes,
    sentBefore: deps.transport.bytesSent,
    sha256Of,
    hashedSha256,
    manifestNow,
  };
}

export function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
