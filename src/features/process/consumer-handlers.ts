/**
 * The local consumer's handlers, each given only what it needs: which event announces a
 * session, one processing attempt and what follows from its outcome, and the start-up sweep.
 * src/features/process/local-consumer.ts wires them to the gateway's events and the SessionQueue.
 */
import type { LedgerEntry } from '../../core/catalog/types.js';
import { DECISIONS_PREFIX, decisionKeyInfo, ledgerKey, manifestKeyInfo, RAW_PREFIX, sessionOfManifestKey, type SessionRef } from '../../core/layout.js';
import { retryDelayMs } from '../../core/process/ledger.js';
import type { Clock, Logger, ObjectStore } from '../../core/ports.js';
import { isRecpipeError, messageOf } from '../../core/errors.js';
import { readLedgerEntry } from '../../core/catalog/records.js';
import { manifestEventSession } from './handle-event.js';
import type { ProcessOutcome } from './process-session.js';

/** Where a handler sends a session: now, or after a delay. */
export interface Schedule {
  enqueue(ref: SessionRef): void;
  later(ref: SessionRef, ms: number): void;
}

/** An object-created event of the raw bucket that announces a manifest queues its session. */
export function onObjectCreated(o: { rawBucket: string; schedule: Pick<Schedule, 'enqueue'> }) {
  return (e: { bucket: string; key: string }): void => {
    if (e.bucket !== o.rawBucket) return;
    const ref = manifestEventSession(e);
    if (ref) o.schedule.enqueue(ref);
  };
}

/**
 * One attempt (`run`: the processing path) and what follows: a failed attempt comes back after
 * the ledger's backoff; a session another worker holds is looked at again when that worker's
 * lease runs out, in case it died. A crash of the attempt itself is logged, never thrown.
 */
export function attempt(o: {
  run: (ref: SessionRef) => Promise<ProcessOutcome>;
  schedule: Pick<Schedule, 'later'>;
  clock: Clock;
  logger: Logger;
  retryBaseMs: number;
}) {
  return async (ref: SessionRef): Promise<void> => {
    try {
      const r = await o.run(ref);
      if (r.status === 'failed') o.schedule.later(ref, retryDelayMs(r.attempts ?? 1, o.retryBaseMs));
      if (r.status === 'busy' && r.holder?.until) o.schedule.later(ref, Date.parse(r.holder.until) - o.clock.now().getTime() + 50);
    } catch (e) {
      o.logger.log('error', 'process.crashed', { sessionId: `${ref.rig}/${ref.session}`, error: messageOf(e) });
    }
  };
}

/**
 * The start-up sweep: committed sessions never processed, failed, or left running by a crash
 * (taken over at once when their worker is gone, else once the lease expires). A later revision
 * committed while the stack was down is queued too: processing answers already_done when the
 * ledger holds the newest one; so is a session whose held revision was decided meanwhile.
 */
export function sweep(o: {
  raw: Pick<ObjectStore, 'list'>;
  lake: Pick<ObjectStore, 'head' | 'get'>;
  pipeline: string;
  pipelineVersion: string;
  holderGone: (e: LedgerEntry) => boolean;
  clock: Clock;
  schedule: Schedule;
}) {
  return async (): Promise<void> => {
    for (const obj of await o.raw.list(RAW_PREFIX)) {
      const revision = manifestKeyInfo(obj.key);
      if (revision && revision.revision > 1) o.schedule.enqueue(revision.ref);
      const ref = sessionOfManifestKey(obj.key);
      if (!ref) continue;
      // A damaged entry is queued too: processing refuses it with the key and field named.
      const entry = await readLedgerEntry(o.lake, ledgerKey(ref, o.pipeline, o.pipelineVersion)).then(
        (r) => r?.entry,
        (e: unknown) => {
          if (isRecpipeError(e) && e.code === 'integrity') return undefined;
          throw e;
        },
      );
      if (!entry) {
        o.schedule.enqueue(ref);
        continue;
      }
      if (entry.state === 'failed') o.schedule.enqueue(ref);
      else if (entry.state === 'running')
        o.schedule.later(ref, o.holderGone(entry) || !entry.lease_expires_at ? 0 : Date.parse(entry.lease_expires_at) - o.clock.now().getTime() + 50);
    }
    // A revision accepted while the stack was down: processSession answers already_done unless it changed what is served.
    for (const obj of await o.raw.list(DECISIONS_PREFIX)) {
      const decided = decisionKeyInfo(obj.key);
      if (decided) o.schedule.enqueue(decided.ref);
    }
  };
}
