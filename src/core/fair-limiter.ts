/**
 * Bounded, fair concurrency for work many callers share (the commit checks' HEAD requests): at
 * most `max` tasks run at once, at most `perKey` of them for one key (a rig), and a freed slot goes
 * to the next key in turn, not to the oldest task. Four commits of 5,000 files from one rig queue
 * 20,000 HEADs behind that rig's own `perKey` slots; another rig's first HEAD waits for one slot
 * to free, not for the 20,000. A key may hold at most `maxPendingPerKey` tasks (queued or
 * running): a batch that would pass it is refused whole, before anything of it runs.
 */
import { RecpipeError } from './errors.js';

/** The limits of one FairLimiter. */
export interface FairLimits {
  /** Tasks running at once, all keys together. */
  max: number;
  /** Tasks of one key running at once. */
  perKey: number;
  /** Tasks of one key queued or running; a larger batch is refused as `unavailable` (retryable). */
  maxPendingPerKey: number;
}

/** What the limiter is doing, for tests and logs. */
export interface FairLimiterStats {
  running: number;
  /** Most tasks that ever ran at once. */
  peak: number;
  /** Most tasks of one key that ever ran at once. */
  peakPerKey: number;
  /** Tasks queued or running, by key. */
  pending: Record<string, number>;
}

interface Task {
  start: () => void;
}

export class FairLimiter {
  private running = 0;
  private peak = 0;
  private peakPerKey = 0;
  private readonly runningOf = new Map<string, number>();
  private readonly pendingOf = new Map<string, number>();
  /** Queued tasks per key. */
  private readonly queues = new Map<string, Task[]>();
  /** When each key with pending tasks last had one started (a counter): the longest unserved goes next. */
  private readonly servedAt = new Map<string, number>();
  private starts = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly limits: FairLimits) {
    if (!(limits.max >= 1 && limits.perKey >= 1 && limits.maxPendingPerKey >= 1)) throw new Error(`FairLimiter limits must be >= 1: ${JSON.stringify(limits)}`);
  }

  /**
   * Runs `fn` on every item under `key`'s share, results in input order. On the first failure no
   * further item of this batch starts; the call settles once those running have finished, with
   * that failure.
   */
  async map<T, R>(key: string, items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    if (items.length === 0) return [];
    const pending = this.pendingOf.get(key) ?? 0;
    if (pending + items.length > this.limits.maxPendingPerKey) {
      throw new RecpipeError('unavailable', `too many checks in progress for ${key} (${pending} pending, ${items.length} more asked for)`, {
        hint: 'wait for the commits already sent to finish, then retry',
        details: { pending, asked: items.length, maxPending: this.limits.maxPendingPerKey },
      });
    }
    this.pendingOf.set(key, pending + items.length);
    let failed: { error: unknown } | undefined;
    const settled = items.map(
      (item) =>
        new Promise<R | undefined>((resolve) => {
          this.enqueue(key, async () => {
            try {
              if (!failed) return resolve(await fn(item));
              resolve(undefined);
            } catch (error) {
              failed ??= { error };
              resolve(undefined);
            }
          });
        }),
    );
    const out = await Promise.all(settled);
    if (failed) throw failed.error;
    return out as R[];
  }

  stats(): FairLimiterStats {
    return { running: this.running, peak: this.peak, peakPerKey: this.peakPerKey, pending: Object.fromEntries(this.pendingOf) };
  }

  /** Resolves at the next change of the stats (a task queued, started or finished). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private enqueue(key: string, work: () => Promise<void>): void {
    const task: Task = {
      start: () => {
        this.running++;
        const mine = (this.runningOf.get(key) ?? 0) + 1;
        this.runningOf.set(key, mine);
        this.peak = Math.max(this.peak, this.running);
        this.peakPerKey = Math.max(this.peakPerKey, mine);
        this.notify();
        void work().finally(() => this.finish(key));
      },
    };
    const queue = this.queues.get(key);
    if (queue) queue.push(task);
    else this.queues.set(key, [task]);
    this.notify();
    this.dispatch();
  }

  private finish(key: string): void {
    this.running--;
    const mine = this.runningOf.get(key)! - 1;
    if (mine === 0) this.runningOf.delete(key);
    else this.runningOf.set(key, mine);
    const pending = this.pendingOf.get(key)! - 1;
    if (pending === 0) {
      this.pendingOf.delete(key);
      this.servedAt.delete(key);
    } else this.pendingOf.set(key, pending);
    this.notify();
    this.dispatch();
  }

  /** Starts tasks while slots are free: each time from the key served longest ago (never: first). */
  private dispatch(): void {
    while (this.running < this.limits.max) {
      let key: string | undefined;
      for (const k of this.queues.keys()) {
        if ((this.runningOf.get(k) ?? 0) >= this.limits.perKey) continue;
        if (key === undefined || (this.servedAt.get(k) ?? -1) < (this.servedAt.get(key) ?? -1)) key = k;
      }
      if (key === undefined) return;
      const queue = this.queues.get(key)!;
      const task = queue.shift()!;
      if (queue.length === 0) this.queues.delete(key);
      this.servedAt.set(key, this.starts++);
      task.start();
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
