/**
 * Processing of one committed session, the same code locally and in Lambda:
 *
 *   claim the ledger entry (conditional PUT; losers stop here)
 *   verify   every manifest file present, same size, same SHA-256 (re-hashed while downloading)
 *   register one catalog row (deterministic: re-writing it changes nothing)
 *   preprocess with the configured processor into a temp folder
 *   upload outputs and their provenance, then the output index LAST (until then nothing is visible)
 *   mark the ledger entry done
 *
 * A verification failure marks the session `incomplete` (not retried: the raw data itself is
 * wrong); any other failure is retried later and becomes `dead` after the last attempt.
 * Raw data is only read.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { LedgerEntry } from '../core/catalog/types.js';
import { RecpipeError, messageOf } from '../core/errors.js';
import { catalogFilesKey, catalogSessionKey, ledgerKey, manifestKey, processedFileKey, rawObjectKey, type SessionRef } from '../core/layout.js';
import type { Logger, ObjectStore } from '../core/ports.js';
import { claimable, fail, finish, startAttempt } from '../core/process/ledger.js';
import { fileRow, ndjson, sessionRow } from '../core/process/rows.js';
import type { Manifest } from '../core/session/manifest-types.js';
import type { Processor } from '../processors/processor.js';
import { VERSION } from '../version.js';

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
  now?: () => Date;
}

export type ProcessStatus = 'done' | 'already_done' | 'busy' | 'incomplete' | 'failed' | 'dead' | 'lease_lost';

export interface ProcessOutcome {
  sessionId: string;
  status: ProcessStatus;
  attempts?: number;
  error?: string;
}

class Incomplete extends Error {}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function readLedger(lake: ObjectStore, key: string): Promise<{ entry?: LedgerEntry; etag?: string }> {
  const head = await lake.head(key);
  if (!head) return {};
  return { entry: JSON.parse((await lake.get(key)).toString('utf8')) as LedgerEntry, etag: head.etag };
}

export async function processSession(ref: SessionRef, deps: ProcessDeps, options: { force?: boolean } = {}): Promise<ProcessOutcome> {
  const now = deps.now ?? (() => new Date());
  const sessionId = `${ref.rig}/${ref.session}`;
  const log = deps.logger.child({ sessionId, pipeline: deps.pipeline, pipelineVersion: deps.pipelineVersion });
  const key = ledgerKey(ref, deps.pipeline, deps.pipelineVersion);
  const current = await readLedger(deps.lake, key);
  if (current.entry?.state === 'done' && !options.force) return { sessionId, status: 'already_done' };
  if (!claimable(current.entry, now(), options.force)) return { sessionId, status: 'busy' };
  const ctx = { sessionId, pipeline: deps.pipeline, pipelineVersion: deps.pipelineVersion, codeVersion: VERSION, now: now() };
  const leaseMs = deps.leaseMs ?? 15 * 60_000;
  let entry = startAttempt(current.entry, ctx, `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, leaseMs, options.force);
  let etag: string | undefined;
  try {
    etag = (await deps.lake.put(key, JSON.stringify(entry), current.etag ? { ifMatch: current.etag } : { ifNoneMatch: true })).etag;
  } catch (e) {
    if (e instanceof RecpipeError && e.code === 'conflict') return { sessionId, status: 'busy' };
    throw e;
  }
  log.log('info', 'process.started', { attempt: entry.attempts });

  // The lease is renewed while the work runs (a long processor must not look stuck, nor be
  // taken over). Renewals are conditional on the ledger's ETag: if another worker wrote the
  // entry meanwhile, the lease is lost and this attempt publishes nothing.
  let lost: RecpipeError | undefined;
  let renewal: Promise<void> = Promise.resolve();
  const renew = () => {
    renewal = renewal.then(async () => {
      if (lost) return;
      const next = { ...entry, lease_expires_at: new Date(now().getTime() + leaseMs).toISOString() };
      try {
        etag = (await deps.lake.put(key, JSON.stringify(next), { ifMatch: etag })).etag;
        entry = next;
        log.log('debug', 'process.lease_renewed', { until: next.lease_expires_at });
      } catch (e) {
        if (e instanceof RecpipeError && e.code === 'conflict') {
          lost = new RecpipeError('conflict', `${sessionId}: another worker took over the ledger entry; this attempt's outputs are not published`);
          log.log('warn', 'process.lease_lost', {});
        } else log.log('warn', 'process.lease_renew_failed', { error: messageOf(e) });
      }
    });
  };
  const timer = setInterval(renew, Math.max(20, Math.floor(leaseMs / 3)));
  timer.unref();
  /** Confirms, with a conditional write, that the lease is still ours. */
  const confirmLease = async () => {
    renew();
    await renewal;
    if (lost) throw lost;
  };
  /** Stops renewing and confirms the lease one last time. */
  const holdLease = async () => {
    clearInterval(timer);
    await confirmLease();
  };

  const work = await mkdtemp(join(tmpdir(), 'recpipe-process-'));
  try {
    const manifestBytes = await deps.raw.get(manifestKey(ref));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    const manifestSha = sha256(manifestBytes);
    const committedAt = (await deps.raw.head(manifestKey(ref)))?.lastModified?.toISOString() ?? manifest.createdAt;
    const inDir = join(work, 'in');
    const outDir = join(work, 'out');
    await Promise.all([mkdir(inDir), mkdir(outDir)]);
    await verifyAndDownload(deps.raw, ref, manifest, inDir);
    await deps.lake.put(catalogSessionKey(ref), ndjson([sessionRow(manifest, manifestSha, committedAt)]));
    const startedAt = now().toISOString();
    await deps.processor.run({ dir: inDir, manifest }, outDir);
    const finishedAt = now().toISOString();
    // A worker that lost its lease during a long run writes no outputs over the new owner's.
    await confirmLease();
    const rows = [];
    for (const name of (await readdir(outDir)).sort()) {
      const path = join(outDir, name);
      if (!(await stat(path)).isFile()) continue;
      const body = await readFile(path);
      const outKey = processedFileKey(ref, deps.pipeline, deps.pipelineVersion, name);
      await deps.lake.put(outKey, body);
      rows.push(fileRow(manifest, deps.pipeline, deps.pipelineVersion, outKey, name, body.length, sha256(body), finishedAt));
    }
    const provenance = Buffer.from(JSON.stringify({
      session_id: sessionId, pipeline: deps.pipeline, pipeline_version: deps.pipelineVersion,
      processor: { name: deps.processor.name, version: deps.processor.version, params: deps.processor.params },
      inputs: manifest.files.map((f) => ({ name: f.name, bytes: f.size, sha256: f.sha256 })), manifest_sha256: manifestSha,
      host: hostname(), code_version: VERSION, started_at: startedAt, finished_at: finishedAt,
    }, null, 2) + '\n');
    const provKey = processedFileKey(ref, deps.pipeline, deps.pipelineVersion, '_provenance.json');
    await deps.lake.put(provKey, provenance);
    rows.push(fileRow(manifest, deps.pipeline, deps.pipelineVersion, provKey, '_provenance.json', provenance.length, sha256(provenance), finishedAt));
    // The index is written last: before it exists, no query sees any of this attempt's outputs.
    await holdLease();
    await deps.lake.put(catalogFilesKey(ref, deps.pipeline, deps.pipelineVersion), ndjson(rows));
    entry = finish(entry, now(), manifestSha, rows.length);
    await deps.lake.put(key, JSON.stringify(entry), { ifMatch: etag });
    log.log('info', 'process.done', { outputs: rows.length });
    return { sessionId, status: 'done', attempts: entry.attempts };
  } catch (e) {
    clearInterval(timer);
    await renewal;
    if (lost) {
      log.log('warn', 'process.abandoned', { error: lost.message });
      return { sessionId, status: 'lease_lost', attempts: entry.attempts, error: lost.message };
    }
    const err = e instanceof Error ? e : new Error(String(e));
    entry = fail(entry, now(), err, deps.maxAttempts ?? 3, e instanceof Incomplete);
    await deps.lake.put(key, JSON.stringify(entry), { ifMatch: etag }).catch((w) => log.log('error', 'process.ledger_write_failed', { error: messageOf(w) }));
    log.log('error', `process.${entry.state}`, { attempt: entry.attempts, error: err.message });
    return { sessionId, status: entry.state as ProcessStatus, attempts: entry.attempts, error: err.message };
  } finally {
    clearInterval(timer);
    await rm(work, { recursive: true, force: true });
  }
}

/** Streams each raw file to disk while hashing it; any difference from the manifest is Incomplete. */
async function verifyAndDownload(raw: ObjectStore, ref: SessionRef, manifest: Manifest, dir: string): Promise<void> {
  const problems: string[] = [];
  for (const f of manifest.files) {
    const key = rawObjectKey(ref, f);
    const head = await raw.head(key);
    if (!head) {
      problems.push(`${f.name} is missing`);
      continue;
    }
    if (head.size !== f.size) {
      problems.push(`${f.name} has ${head.size} bytes, the manifest says ${f.size}`);
      continue;
    }
    const h = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _e, cb) {
        h.update(chunk);
        cb(null, chunk);
      },
    });
    await pipeline(await raw.getStream(key), tap, createWriteStream(join(dir, f.name)));
    const got = h.digest('hex');
    if (got !== f.sha256) problems.push(`${f.name} has SHA-256 ${got.slice(0, 12)}..., the manifest says ${f.sha256.slice(0, 12)}...`);
  }
  if (problems.length > 0) throw new Incomplete(`raw data does not match the manifest: ${problems.join('; ')}`);
}
