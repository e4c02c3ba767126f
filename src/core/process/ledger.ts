/**
 * Ledger transitions, pure. One entry per session x pipeline version; stored as one object
 * written with conditional PUTs, so at-least-once events give exactly-once effects:
 * only the writer whose conditional PUT wins may run the work.
 */
import type { LedgerEntry } from '../catalog/types.js';
import { exponential } from '../backoff.js';
import type { ComputePath } from './route.js';
import { isFinished } from '../catalog/ledger-state.js';

export { isFinished };

export const DEFAULT_MAX_ATTEMPTS = 3;

export interface LedgerContext {
  sessionId: string;
  pipeline: string;
  pipelineVersion: string;
  codeVersion: string;
  now: Date;
  /** The compute path the attempt runs on (recorded in the entry). */
  computePath?: ComputePath;
}

/**
 * Whether an attempt may start now: new, failed (retry due), or running under a lease that
 * expired or whose holder is known to be gone (`holderGone`, see {@link holderGone}).
 */
export function claimable(e: LedgerEntry | undefined, now: Date, force = false, holderGone = false): boolean {
  if (!e) return true;
  if (isFinished(e.state)) return force;
  if (e.state === 'running') return holderGone || !e.lease_expires_at || Date.parse(e.lease_expires_at) < now.getTime();
  if (e.state === 'dead' || e.state === 'incomplete') return force;
  return true;
}

/** The host and pid of a lease owner written as `host:pid:nonce`; undefined for any other form. */
export function leaseHolder(owner: string | undefined): { host: string; pid: number } | undefined {
  const m = owner ? /^(.+):(\d+):[^:]+$/.exec(owner) : null;
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}

/**
 * Whether a `running` entry's worker is known to be dead: it ran on `host` (this machine) in a
 * process that no longer exists, so nothing renews its lease and it may be taken over at once
 * (a crashed embedded stack resumes its work when it starts, not a lease later). A holder on
 * another host, one whose pid still runs (perhaps reused: waiting is the safe side), `selfPid`
 * itself, or an owner of another form keeps its lease until it expires.
 */
export function holderGone(e: LedgerEntry | undefined, host: string, selfPid: number, alive: (pid: number) => boolean): boolean {
  if (e?.state !== 'running') return false;
  const h = leaseHolder(e.lease_owner);
  return h !== undefined && h.host === host && h.pid !== selfPid && h.pid > 0 && !alive(h.pid);
}

export function startAttempt(e: LedgerEntry | undefined, c: LedgerContext, owner: string, leaseMs: number, force = false): LedgerEntry {
  const iso = c.now.toISOString();
  return {
    session_id: c.sessionId,
    pipeline: c.pipeline,
    pipeline_version: c.pipelineVersion,
    state: 'running',
    attempts: (force && e && (e.state === 'dead' || e.state === 'incomplete') ? 0 : (e?.attempts ?? 0)) + 1,
    last_error: e?.last_error,
    last_error_stack: e?.last_error_stack,
    lease_owner: owner,
    lease_expires_at: new Date(c.now.getTime() + leaseMs).toISOString(),
    started_at: iso,
    updated_at: iso,
    code_version: c.codeVersion,
    ...(c.computePath ? { compute_path: c.computePath } : {}),
  };
}

/**
 * The entry of a finished run: `done`, or `done_with_gaps` when `undecoded` names data files the
 * run did not decode at all (what it left out is in `dropped` either way).
 */
export function finish(
  e: LedgerEntry,
  now: Date,
  manifestSha256: string,
  outputCount: number,
  dropped: LedgerEntry['dropped'] = [],
  undecoded: string[] = [],
): LedgerEntry {
  const { lease_owner: _o, lease_expires_at: _l, dropped: _d, undecoded: _u, integrity: _i, ...rest } = e;
  return {
    ...rest,
    state: undecoded.length ? 'done_with_gaps' : 'done',
    finished_at: now.toISOString(),
    updated_at: now.toISOString(),
    manifest_sha256: manifestSha256,
    output_count: outputCount,
    last_error: undefined,
    last_error_stack: undefined,
    ...(dropped.length ? { dropped } : {}),
    ...(undecoded.length ? { undecoded } : {}),
  };
}

/** `integrity`: the files processing found hashing differently from the manifest (the integrity flag). */
export function fail(e: LedgerEntry, now: Date, error: Error, maxAttempts: number, incomplete = false, integrity: LedgerEntry['integrity'] = []): LedgerEntry {
  const { lease_owner: _o, lease_expires_at: _l, integrity: _i, ...rest } = e;
  const state = incomplete ? 'incomplete' : e.attempts >= maxAttempts ? 'dead' : 'failed';
  return {
    ...rest,
    state,
    finished_at: now.toISOString(),
    updated_at: now.toISOString(),
    last_error: error.message.slice(0, 2000),
    last_error_stack: error.stack?.slice(0, 4000),
    ...(integrity.length > 0 ? { integrity: integrity.slice(0, 100) } : {}),
  };
}

/** Backoff before the next attempt: 1 s, 4 s, 16 s ... capped at 15 min (scaled by `baseMs`); the one policy, core/backoff.ts. */
export function retryDelayMs(attempts: number, baseMs = 1000): number {
  return exponential(attempts, baseMs, 15 * 60_000, 4);
}
