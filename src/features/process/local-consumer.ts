/**
 * The local stack's processing consumer: the gateway's object-created events feed a serial
 * queue; failed attempts come back after a backoff; a start-up sweep catches manifests that
 * arrived while nothing was listening, and resumes work a crash interrupted: failed entries
 * are queued again, and a `running` entry is taken over at once when its worker was a process
 * of this host that no longer runs (the stack that crashed), else once its lease expires. `idle()` resolves once
 * nothing is queued, running or waiting for a retry or a lease to expire.
 *
 * Built as a table of small handlers (consumer-handlers.ts), each given only what it needs, over
 * a queue that knows nothing of processing (session-queue.ts). The processing path itself is one
 * entry (`run`), so choosing another (a function or a container) is a change of that entry alone.
 */
import type { StoreEvents } from '../../core/events/store-events.js';
import { hostname } from 'node:os';
import { alive } from '../../adapters/fs/lock-file.js';
import type { Config } from '../../config/schema.js';
import type { LedgerEntry } from '../../core/catalog/types.js';
import type { Clock, Logger, ObjectStore } from '../../core/ports.js';
import { systemClock } from '../../adapters/system/clock.js';
import { holderGone } from '../../core/process/ledger.js';
import { messageOf } from '../../core/errors.js';
import { attempt, onObjectCreated, sweep } from './consumer-handlers.js';
import { processDeps } from './deps.js';
import type { ProcessDeps } from './process-session.js';
import { inProcessContainer, processRouted } from './route-session.js';
import type { RouteRule } from '../../core/process/route.js';
import { SessionQueue } from './session-queue.js';

export interface LocalProcessingOptions {
  events: StoreEvents;
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
  const deps: ProcessDeps = {
    ...processDeps(o.config, o.raw, o.lake, o.logger),
    leaseMs: o.leaseMs ?? 60_000,
    clock,
    holderGone: (e: LedgerEntry) => holderGone(e, hostname(), process.pid, alive),
    ...(o.deps ?? {}),
  };
  // Sessions too big for the function take the container path, run here under its limits.
  const routed = { ...deps, container: inProcessContainer(deps), rule: o.rule };
  // The queue runs the attempt handler (first called once the handler exists); the handlers schedule through the queue.
  const queue = new SessionQueue((ref) => onAttempt(ref));
  const onAttempt = attempt({
    run: (ref) => processRouted(ref, routed),
    schedule: queue,
    clock,
    logger: o.logger,
    retryBaseMs: o.retryBaseMs ?? 1000,
  });
  const stopListening = o.events.on('object-created', onObjectCreated({ rawBucket: o.raw.bucket, schedule: queue }));
  const swept = sweep({
    raw: o.raw,
    lake: o.lake,
    pipeline: deps.pipeline,
    pipelineVersion: deps.pipelineVersion,
    holderGone: (e) => deps.holderGone?.(e) ?? false,
    clock,
    schedule: queue,
  })().catch((e) => o.logger.log('error', 'process.sweep_failed', { error: messageOf(e) }));

  return {
    idle: async () => {
      await swept;
      await queue.idle();
    },
    close: async () => {
      stopListening();
      // Closed before the sweep is awaited: what it still finds is left for the next start.
      const stopping = queue.close();
      await swept;
      await stopping;
    },
  };
}
