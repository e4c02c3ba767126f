/**
 * The local stack's processing consumer: the gateway's object-created events feed a serial
 * queue; failed attempts come back after a backoff; a start-up sweep catches manifests that
 * arrived while nothing was listening, and resumes work a crash interrupted: failed entries
 * are queued again, and a `running` entry is taken over at once when its worker was a process
 * of this host that no longer runs (the stack that crashed), else once its lease expires. `idle()` resolves once
 * nothing is queued, running or waiting for a retry or a lease to expire.
 */
import type { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { alive } from '../adapters/fs/lock-file.js';
import type { Config } from '../config/schema.js';
import type { LedgerEntry } from '../core/catalog/types.js';
import { DECISIONS_PREFIX, decisionKeyInfo, ledgerKey, manifestKeyInfo, RAW_PREFIX, sessionOfManifestKey, type SessionRef } from '../core/layout.js';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import { systemClock } from '../adapters/memory/clock.js';
import { holderGone, retryDelayMs } from '../core/process/ledger.js';
import { messageOf } from '../core/errors.js';
import { processDeps } from './deps.js';
import { manifestEventSession } from './handle-event.js';
import type { ProcessDeps } from './process-session.js';
import { inProcessContainer, processRouted } from './route-session.js';
import type { RouteRule } from '../core/process/route.js';

export interface LocalProcessingOptions {
  events: EventEmitter;
  raw: ObjectStore;
  lake: ObjectStore;
  config: Config;
  logger: Logger;
  /** Base of the retry backoff (1 s by default: retries after 1 s, 4 s ...). */
  retryBaseMs?: number;
  /** Processing lease on the local stack (60 s by default): how long a crashed attempt blocks its session. */
  leaseMs?: number;
  deps?: Partial<ProcessDeps>;
  /** When leases expire, for rescheduling a busy session (the wall clock by default). */
  clock?: Clock;
  /** The routing rule (routeRule() by default: the process function's timeout, the measured rate). */
  rule?: RouteRule;
}

export function startLocalProcessing(o: LocalProcessingOptions): { close(): Promise<void>; idle(): Promise<void> } {
  const clock = o.clock ?? systemClock;
  const deps = {
    ...processDeps(o.config, o.raw, o.lake, o.logger),
    leaseMs: o.leaseMs ?? 60_000,
    holderGone: (e: LedgerEntry) => holderGone(e, hostname(), process.pid, alive),
    ...(o.deps ?? {}),
  };
  // Sessions too big for the function take the container path, run here under its limits.
  const routed = { ...deps, container: inProcessContainer(deps), rule: o.rule };
  const queue: SessionRef[] = [];
  const queued = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let running: Promise<void> | undefined;
  let closed = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    if (!running && queue.length === 0 && timers.size === 0) {
      const w = waiters;
      waiters = [];
      w.forEach((r) => r());
    }
  };
  const enqueue = (ref: SessionRef) => {
    const id = `${ref.rig}/${ref.session}`;
    if (closed || queued.has(id)) return;
    queued.add(id);
    queue.push(ref);
    pump();
  };
  const pump = () => {
    if (running || closed) return settle();
    const ref = queue.shift();
    if (!ref) return settle();
    queued.delete(`${ref.rig}/${ref.session}`);
    running = processRouted(ref, routed)
      .then((r) => {
        if (r.status === 'failed') later(ref, retryDelayMs(r.attempts ?? 1, o.retryBaseMs ?? 1000));
        // Another worker holds it: look again when its lease runs out, in case that worker died.
        if (r.status === 'busy' && r.holder?.until) later(ref, Date.parse(r.holder.until) - clock.now().getTime() + 50);
      })
      .catch((e) => o.logger.log('error', 'process.crashed', { sessionId: `${ref.rig}/${ref.session}`, error: messageOf(e) }))
      .finally(() => {
        running = undefined;
        pump();
      });
  };
  /** Queues `ref` again after `ms`. */
  const later = (ref: SessionRef, ms: number) => {
    if (closed) return;
    const t = setTimeout(
      () => {
        timers.delete(t);
        enqueue(ref);
      },
      Math.max(0, ms),
    );
    timers.add(t);
  };
  const onEvent = (e: { bucket: string; key: string }) => {
    if (e.bucket !== o.raw.bucket) return;
    const ref = manifestEventSession(e);
    if (ref) enqueue(ref);
  };
  o.events.on('object-created', onEvent);

  // Start-up sweep: committed sessions never processed, failed, or left running by a crash.
  const sweep = (async () => {
    for (const obj of await o.raw.list(RAW_PREFIX)) {
      // A later revision may have been committed while the stack was down: processSession
      // decides (it answers already_done when the ledger holds the newest revision).
      const revision = manifestKeyInfo(obj.key);
      if (revision && revision.revision > 1) enqueue(revision.ref);
      const ref = sessionOfManifestKey(obj.key);
      if (!ref) continue;
      const key = ledgerKey(ref, deps.pipeline, deps.pipelineVersion);
      if (!(await o.lake.head(key))) {
        enqueue(ref);
        continue;
      }
      const entry = JSON.parse((await o.lake.get(key)).toString('utf8')) as LedgerEntry;
      if (entry.state === 'failed') enqueue(ref);
      else if (entry.state === 'running')
        later(ref, deps.holderGone(entry) || !entry.lease_expires_at ? 0 : Date.parse(entry.lease_expires_at) - clock.now().getTime() + 50);
    }
    // A revision accepted while the stack was down: processSession answers already_done unless it changed what is served.
    for (const obj of await o.raw.list(DECISIONS_PREFIX)) {
      const decided = decisionKeyInfo(obj.key);
      if (decided) enqueue(decided.ref);
    }
  })().catch((e) => o.logger.log('error', 'process.sweep_failed', { error: messageOf(e) }));

  return {
    idle: async () => {
      await sweep;
      if (!running && queue.length === 0 && timers.size === 0) return;
      await new Promise<void>((r) => waiters.push(r));
    },
    close: async () => {
      closed = true;
      o.events.off('object-created', onEvent);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await sweep;
      await running;
      settle();
    },
  };
}
