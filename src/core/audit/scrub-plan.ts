/**
 * The scrub's choice, pure: which stored objects `verify` re-hashes this run. Every object that
 * should hold known bytes (raw objects any revision pins, outputs the index lists) is a candidate;
 * the ones verified longest ago (never verified first) are taken until the run's byte budget is
 * spent, so a store that fits the budget is fully re-hashed every run and a larger one within a
 * few runs. An object whose last good re-hash (or, never verified, its upload) is older than the
 * scrub period is overdue: the budget is too small for the store.
 */

/** An object that should hold known bytes. */
export interface ScrubCandidate {
  /** `<bucket>/<key>`: the record's key. */
  id: string;
  size: number;
  /** The object's ETag as listed: a rewritten object (a re-run output) is not the one verified before. */
  etag?: string;
  /** When the object was written (ms since epoch). */
  storedAt: number;
}

/** When an object was last re-hashed and found right, with what it looked like then. */
export interface ScrubMark {
  at: number;
  size: number;
  etag?: string;
}

export interface ScrubPlan<C extends ScrubCandidate> {
  /** Objects to re-hash this run, oldest-checked first. */
  chosen: C[];
  /** Objects not re-hashed within the period (after this run, when not chosen). */
  overdue: C[];
  /** Bytes chosen. */
  bytes: number;
}

/** The mark of `c`, when it still describes the same object. */
export function lastVerified(c: ScrubCandidate, record: ReadonlyMap<string, ScrubMark>): number | undefined {
  const m = record.get(c.id);
  return m && m.size === c.size && (m.etag === undefined || c.etag === undefined || m.etag === c.etag) ? m.at : undefined;
}

/**
 * Picks objects oldest-checked first while their bytes fit `budgetBytes` (at least one per run,
 * however large, so no object is starved), and lists the overdue ones left out.
 */
export function planScrub<C extends ScrubCandidate>(
  candidates: readonly C[],
  record: ReadonlyMap<string, ScrubMark>,
  o: { now: number; periodMs: number; budgetBytes: number },
): ScrubPlan<C> {
  const since = (c: C) => lastVerified(c, record) ?? -Infinity;
  const order = [...candidates].sort((a, b) => since(a) - since(b) || a.storedAt - b.storedAt || (a.id < b.id ? -1 : 1));
  const chosen: C[] = [];
  let bytes = 0;
  for (const c of order) {
    if (o.budgetBytes <= 0) break;
    if (chosen.length > 0 && bytes + c.size > o.budgetBytes) break;
    chosen.push(c);
    bytes += c.size;
  }
  const taken = new Set(chosen.map((c) => c.id));
  const overdue = order.filter((c) => !taken.has(c.id) && (lastVerified(c, record) ?? c.storedAt) < o.now - o.periodMs);
  return { chosen, overdue, bytes };
}
