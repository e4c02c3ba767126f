/**
 * Per-key token buckets over two measures at once (events and bytes): each key may spend up to
 * `capacity` at once and regains `perMinute` every minute, up to the capacity. Pure: the caller
 * passes the time, so tests drive it with a manual clock.
 */

/** One measure's bucket size and refill rate. */
export interface BucketLimit {
  capacity: number;
  perMinute: number;
}

interface Level {
  events: number;
  bytes: number;
  at: number;
}

/** Budgets of events and bytes per key (a rig). */
export class EventBudget {
  private readonly levels = new Map<string, Level>();

  constructor(readonly limits: { events: BucketLimit; bytes: BucketLimit }) {}

  /** Takes one event of `bytes` from `key`'s budget at time `now` (ms); false, taking nothing, when it does not fit. */
  take(key: string, bytes: number, now: number): boolean {
    const l = this.refilled(key, now);
    const fits = l.events >= 1 && l.bytes >= bytes;
    if (fits) {
      l.events -= 1;
      l.bytes -= bytes;
    }
    // A full bucket carries no state: the map holds only rigs that spent recently.
    if (l.events === this.limits.events.capacity && l.bytes === this.limits.bytes.capacity) this.levels.delete(key);
    else this.levels.set(key, l);
    return fits;
  }

  private refilled(key: string, now: number): Level {
    const { events, bytes } = this.limits;
    const l = this.levels.get(key);
    if (!l) return { events: events.capacity, bytes: bytes.capacity, at: now };
    const minutes = Math.max(0, now - l.at) / 60_000;
    return {
      events: Math.min(events.capacity, l.events + minutes * events.perMinute),
      bytes: Math.min(bytes.capacity, l.bytes + minutes * bytes.perMinute),
      at: Math.max(l.at, now),
    };
  }
}
