/**
 * Processing of one committed session, the same code locally and in Lambda:
 *
 *   claim the ledger entry (conditional PUT; losers stop here); a session revised since it was
 *            processed is claimed again and processed from its served revision (a revision that
 *            changes archived bytes is held until a person accepts it: served-revision.ts)
 *   verify   every manifest file present, same size, same SHA-256 (hashed as it streams)
 *   register one catalog row (deterministic: re-writing it changes nothing)
 *   preprocess: a streaming processor reads each raw file as a stream (hashed again) and its
 *            outputs are uploaded as they are produced; a staging processor works in /tmp
 *   upload provenance, then the output index LAST (until then no query sees the outputs)
 *   mark the ledger entry done, or done_with_gaps when data files were not decoded at all
 *
 * Nothing is buffered or staged whole on the streaming path, so any session size fits the
 * process function. The attempt runs under the platform limits (src/config/platform-limits.ts):
 * it is aborted when the function's timeout runs out. A verification failure marks the session
 * `incomplete` (not retried: the raw data itself is wrong); any other failure is retried later
 * and becomes `dead` after the last attempt. Raw data is only read.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { PROCESS_LIMITS, type ProcessLimits } from '../../config/platform-limits.js';
import type { LedgerEntry } from '../../core/catalog/types.js';
import { catalogFilesKey, catalogSessionKey, ledgerKey, processedFileKey, type SessionRef } from '../../core/layout.js';
import { readServedRevision } from '../../core/session/revision-state.js';
import type { RevisionPolicy } from '../../core/session/served-revision.js';
import type { Clock, Logger, ObjectStore } from '../../core/ports.js';
import { systemClock } from '../../adapters/system/clock.js';
import { claimable, fail, finish, isFinished, startAttempt } from '../../core/process/ledger.js';
import type { ComputePath } from '../../core/process/route.js';
import { fileRow, ndjson, sessionRow } from '../../core/process/rows.js';
import type { Dropped, Processor } from './steps/processor.js';
import type { Manifest } from '../../core/session/manifest-types.js';
import { VERSION } from '../../version.js';
import { RecpipeError, isRecpipeError, messageOf } from '../../core/errors.js';
import { readLedgerEntry } from '../../core/catalog/records.js';
import { Lease } from './lease.js';
import { lakeSink } from './output-sink.js';
import { keepPinnedOutputs } from './keep-pinned.js';
import { checkedRawStream, Incomplete, verifyRaw } from './raw-reader.js';
import { runStaging } from './staging.js';
import { EVENTS, PROCESS_END_EVENTS, type EndState } from '../../core/events.js';

export interface ProcessDeps {
  raw: ObjectStore;
  lake: ObjectStore;
  processor: Processor;
  pipeline: string;
  pipelineVersion: string;
  logger: Logger;
  /** How long a claim holds without renewal; it is renewed every third of it while work runs. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Claims, lease expiry and renewals run on it (the wall clock by default). */
  clock?: Clock;
  /**
   * Whether a `running` entry's worker is known to be dead, so its lease is taken over at once
   * (the embedded stack: a process of this host that no longer runs); by default never.
   */
  holderGone?: (entry: LedgerEntry) => boolean;
  /** The limits the attempt runs under (the process function's); PROCESS_LIMITS by default. */
  limits?: ProcessLimits;
  /** The compute path this attempt runs on, recorded in the ledger (route-session.ts). */
  computePath?: ComputePath;
  /** The lab's policy for revisions that change archived bytes (served-revision.ts); `additive` by default. */
  revisionPolicy?: RevisionPolicy;
}

/** `routed`: handed to the container path (a job was submitted; the job claims the ledger). */
export type ProcessStatus = 'done' | 'done_with_gaps' | 'already_done' | 'busy' | 'incomplete' | 'failed' | 'dead' | 'lease_lost' | 'routed';

export interface ProcessOutcome {
  sessionId: string;
  status: ProcessStatus;
  attempts?: number;
  error?: string;
  /** For `busy`: who holds the lease and until when. */
  holder?: { owner?: string; until?: string };
  /** For `routed`: the container job's id. */
  jobId?: string;
  /** For `done_with_gaps`: the data files not decoded at all. */
  undecoded?: string[];
}

/** Data files a run left out whole (every byte dropped): their session is done with gaps, not done. */
function undecodedFiles(manifest: Manifest, dropped: Dropped[]): string[] {
  const size = new Map(manifest.files.map((f) => [f.name, f.size]));
  return [...new Set(dropped.filter((d) => d.bytes > 0 && d.bytes === size.get(d.file)).map((d) => d.file))].sort();
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The ledger entry and its ETag. A damaged entry is refused (integrity, naming the key and field),
 * except by a forced run (`recpipe process --session`, verify --repair): the entry is processing's
 * own record, so that run writes it again over the damaged copy (If-Match its ETag).
 */
async function readLedger(lake: ObjectStore, key: string, force: boolean, log: Logger): Promise<{ entry?: LedgerEntry; etag?: string }> {
  try {
    return (await readLedgerEntry(lake, key)) ?? {};
  } catch (e) {
    if (!force || !isRecpipeError(e) || e.code !== 'integrity') throw e;
    log.log('warn', 'process.ledger_damaged', { error: e.message });
    return { etag: (await lake.head(key))?.etag };
  }
}

export async function processSession(ref: SessionRef, deps: ProcessDeps, options: { force?: boolean } = {}): Promise<ProcessOutcome> {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const sessionId = `${ref.rig}/${ref.session}`;
  const log = deps.logger.child({ sessionId, pipeline: deps.pipeline, pipelineVersion: deps.pipelineVersion });
  const key = ledgerKey(ref, deps.pipeline, deps.pipelineVersion);
  const current = await readLedger(deps.lake, key, options.force === true, log);
  const busy = async (): Promise<ProcessOutcome> => {
    const e = (await readLedger(deps.lake, key, options.force === true, log)).entry ?? current.entry;
    return isFinished(e?.state)
      ? { sessionId, status: 'already_done' }
      : { sessionId, status: 'busy', holder: { owner: e?.lease_owner, until: e?.lease_expires_at } };
  };
  // The served revision (served-revision.ts: a revision that changes archived bytes is held until
  // a person accepts it). A session whose served revision is not the one the ledger recorded is
  // processed again, as if forced: the catalog and outputs follow the served revision.
  // (A failed read is retried inside the attempt below, so it reaches the ledger.)
  const served = await readServedRevision(deps.raw, ref, deps.revisionPolicy ?? 'additive').catch(() => undefined);
  const revised = isFinished(current.entry?.state) && served !== undefined && current.entry?.manifest_sha256 !== sha256(served.bytes);
  const force = options.force || revised;
  if (isFinished(current.entry?.state) && !force) return { sessionId, status: 'already_done' };
  const gone = current.entry !== undefined && deps.holderGone?.(current.entry) === true;
  if (!claimable(current.entry, now(), force, gone)) return busy();
  if (gone) log.log('warn', 'process.takeover', { deadHolder: current.entry?.lease_owner });
  const ctx = { sessionId, pipeline: deps.pipeline, pipelineVersion: deps.pipelineVersion, codeVersion: VERSION, now: now(), computePath: deps.computePath };
  const leaseMs = deps.leaseMs ?? 15 * 60_000;
  const entry = startAttempt(current.entry, ctx, `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, leaseMs, force);
  let etag: string | undefined;
  try {
    etag = (await deps.lake.put(key, JSON.stringify(entry), current.etag ? { ifMatch: current.etag } : { ifNoneMatch: true })).etag;
  } catch (e) {
    if (e instanceof RecpipeError && e.code === 'conflict') return busy();
    throw e;
  }
  log.log('info', 'process.started', { attempt: entry.attempts });
  const lease = new Lease(deps.lake, key, entry, etag, leaseMs, clock, log);
  lease.start();
  const limits = deps.limits ?? PROCESS_LIMITS;
  const deadline = new AbortController();
  const timeout = setTimeout(
    () =>
      deadline.abort(
        deps.computePath === 'container'
          ? new RecpipeError('failed', `${sessionId}: processing ran out of the container job's ${limits.timeoutSec} s timeout`, {
              hint: 'the route sized it from the session at PROCESS_RATE in src/config/platform-limits.ts: re-measure the rate (scripts/bench-big.js) or make the processor faster',
            })
          : new RecpipeError('failed', `${sessionId}: processing ran out of the process function's ${limits.timeoutSec} s timeout`, {
              hint: 'raise timeoutSec in src/config/platform-limits.ts (at most 900 s on Lambda) or make the processor faster',
            }),
      ),
    limits.timeoutSec * 1000,
  );
  try {
    const signal = deadline.signal;
    const stored = served ?? (await readServedRevision(deps.raw, ref, deps.revisionPolicy ?? 'additive'));
    if (!stored) throw new RecpipeError('not_found', `${sessionId} has no committed manifest`, { hint: 'upload the session (its manifest is written last)' });
    const manifest = stored.manifest;
    const manifestSha = sha256(stored.bytes);
    const committedAt = (await deps.raw.head(stored.key))?.lastModified?.toISOString() ?? manifest.createdAt;
    await verifyRaw(deps.raw, ref, manifest, signal);
    await deps.lake.put(catalogSessionKey(ref), ndjson([sessionRow(manifest, manifestSha, committedAt)]));
    const startedAt = now().toISOString();
    // Outputs a snapshot references are kept before this run writes over them (keep-pinned.ts).
    await keepPinnedOutputs(deps.lake, ref, deps.pipeline, deps.pipelineVersion, log, now());
    const sink = lakeSink(deps.lake, (name) => processedFileKey(ref, deps.pipeline, deps.pipelineVersion, name), lease);
    const p = deps.processor;
    const dropped: Dropped[] = [];
    if (p.kind === 'stream') {
      dropped.push(...(p.unprocessed?.(manifest) ?? []));
      for (const f of p.plan(manifest)) {
        const d = await p.processFile(f, manifest, checkedRawStream(deps.raw, ref, f, signal), sink, signal);
        if (d) dropped.push(d);
      }
    } else await runStaging(p, ref, manifest, deps.raw, sink, limits, signal);
    signal.throwIfAborted();
    const finishedAt = now().toISOString();
    await sink.put(
      '_provenance.json',
      JSON.stringify(
        {
          session_id: sessionId,
          pipeline: deps.pipeline,
          pipeline_version: deps.pipelineVersion,
          processor: { name: p.name, version: p.version, params: p.params },
          inputs: manifest.files.map((f) => ({ name: f.name, bytes: f.size, sha256: f.sha256 })),
          manifest_sha256: manifestSha,
          dropped,
          warnings: manifest.warnings ?? [],
          host: hostname(),
          code_version: VERSION,
          started_at: startedAt,
          finished_at: finishedAt,
        },
        null,
        2,
      ) + '\n',
    );
    const outputs = sink.outputs
      .filter((o) => o.name !== '_provenance.json')
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .concat(sink.outputs.filter((o) => o.name === '_provenance.json'));
    const rows = outputs.map((o) => fileRow(manifest, deps.pipeline, deps.pipelineVersion, o.key, o.name, o.bytes, o.sha256, finishedAt));
    // The index is written last: before it exists, no query sees any of this attempt's outputs.
    await lease.hold();
    await deps.lake.put(catalogFilesKey(ref, deps.pipeline, deps.pipelineVersion), ndjson(rows));
    const undecoded = undecodedFiles(manifest, dropped);
    await lease.write(finish(lease.entry, now(), manifestSha, rows.length, dropped, undecoded));
    log.log(dropped.length ? 'warn' : 'info', 'process.done', {
      outputs: rows.length,
      ...(dropped.length ? { dropped } : {}),
      ...(undecoded.length ? { undecoded } : {}),
    });
    return { sessionId, status: undecoded.length ? 'done_with_gaps' : 'done', attempts: lease.entry.attempts, ...(undecoded.length ? { undecoded } : {}) };
  } catch (e) {
    await lease.stop();
    if (lease.lost) {
      log.log('warn', 'process.abandoned', { error: lease.lost.message });
      return { sessionId, status: 'lease_lost', attempts: lease.entry.attempts, error: lease.lost.message };
    }
    const cause: unknown = deadline.signal.aborted ? deadline.signal.reason : e;
    const err = cause instanceof Error ? cause : new Error(String(cause));
    const integrity = cause instanceof Incomplete ? cause.integrity : [];
    const failed = fail(lease.entry, now(), err, deps.maxAttempts ?? 3, cause instanceof Incomplete, integrity);
    await lease.write(failed).catch((w) => log.log('error', 'process.ledger_write_failed', { error: messageOf(w) }));
    log.log('error', PROCESS_END_EVENTS[failed.state as EndState] ?? EVENTS.processFailed.name, {
      attempt: failed.attempts,
      error: err.message,
      ...(integrity.length > 0 ? { integrity: integrity.map((i) => i.file) } : {}),
    });
    return { sessionId, status: failed.state as ProcessStatus, attempts: failed.attempts, error: err.message };
  } finally {
    clearTimeout(timeout);
    await lease.stop();
  }
}
