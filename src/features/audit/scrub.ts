/**
 * The scrub: re-hashes the stored objects planScrub chooses (raw objects every revision pins,
 * outputs the index lists), streamed, four at a time, and records the ones found right in
 * `$RECPIPE_HOME/verify/scrub.json`, so the next run starts with the objects checked longest ago.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore, Reporter } from '../../core/ports.js';
import { mapLimit } from '../../core/map-limit.js';
import { planScrub, type ScrubCandidate, type ScrubMark } from '../../core/audit/scrub-plan.js';
import { int, mapOf, obj, opt, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';
import { readRecord, REBUILT, writeRecord } from './records.js';

const RECORD = 'scrub.json';

/** `scrub.json`: when each object was last re-hashed and found right, by id. */
export const SCRUB_RECORD = storedRecord<Record<string, ScrubMark>>({
  what: 'scrub record',
  hint: `${REBUILT}; until then the objects it listed count as not yet re-hashed`,
  shape: mapOf(obj({ at: int, size: int, etag: opt(str) })),
});

/** An object to scrub: where it is and the SHA-256 it must have. */
export interface ScrubTarget extends ScrubCandidate {
  store: ObjectStore;
  key: string;
  sha256: string;
}

export interface ScrubResult<T extends ScrubTarget> {
  /** `<bucket>/<key>` -> the SHA-256 found, for every object re-hashed this run. */
  hashes: Map<string, string>;
  overdue: T[];
  bytes: number;
}

async function hashObject(store: ObjectStore, key: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of await store.getStream(key)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Re-hashes what fits the budget, oldest-checked first; `budgetBytes` 0 re-hashes nothing and records nothing. */
export async function scrub<T extends ScrubTarget>(
  targets: T[],
  o: { home: string; now: number; periodMs: number; budgetBytes: number; reporter: Reporter; prune?: boolean },
): Promise<ScrubResult<T>> {
  const stored = await readRecord(o.home, RECORD, SCRUB_RECORD, {}, (e) => o.reporter.warn(e.message));
  const record = new Map(Object.entries(stored));
  const plan = planScrub(targets, record, o);
  const hashes = new Map<string, string>();
  if (plan.chosen.length === 0) return { hashes, overdue: plan.overdue, bytes: 0 };
  o.reporter.step(`re-hashing ${plan.chosen.length} of ${targets.length} objects (${(plan.bytes / 1e9).toFixed(2)} GB, oldest-checked first)`);
  let done = 0;
  await mapLimit(plan.chosen, 4, async (t) => {
    const got = await hashObject(t.store, t.key);
    hashes.set(t.id, got);
    // Only bytes found right count as verified: a damaged object stays first in line, and reported.
    if (got === t.sha256) record.set(t.id, { at: o.now, size: t.size, ...(t.etag ? { etag: t.etag } : {}) });
    else record.delete(t.id);
    done += t.size;
    o.reporter.progress(plan.bytes ? done / plan.bytes : 1);
  });
  // Objects gone from the store are forgotten with the record's next write (not on a run limited
  // by --since, which sees only part of the store).
  const live = new Set(targets.map((t) => t.id));
  await writeRecord(o.home, RECORD, Object.fromEntries([...record].filter(([id]) => o.prune === false || live.has(id))));
  return { hashes, overdue: plan.overdue, bytes: plan.bytes };
}
