/**
 * A token bucket that holds upload bytes to the `--bwlimit` timetable, on the injected clock.
 * Callers take tokens for a slice before sending it; a take that overdraws the bucket is let
 * through and the next ones wait until the debt is paid, so the average rate is the cap
 * whatever the slice size. Waits are cut to a minute at most so a timetable change (e.g. "off"
 * at 20:00) takes effect promptly.
 */
import { rateAt, type Timetable } from '../../core/ingest/bwlimit.js';
import type { Clock } from '../../core/ports.js';

/** Slices a throttled body is written in: small enough to smooth the rate, big enough to be cheap. */
export const THROTTLE_SLICE = 256 * 1024;

export class Throttle {
  private tokens = 0;
  private last: number;

  constructor(
    private readonly table: Timetable,
    private readonly clock: Clock,
  ) {
    this.last = clock.now().getTime();
  }

  /** Resolves when `n` more bytes may be sent. */
  async take(n: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const rate = rateAt(this.table, now);
      const elapsed = Math.max(0, now.getTime() - this.last) / 1000;
      this.last = now.getTime();
      if (rate === undefined) {
        this.tokens = 0;
        return;
      }
      // At most a quarter second's worth saved up: a burst after idling stays short.
      this.tokens = Math.min(rate / 4, this.tokens + elapsed * rate);
      if (this.tokens >= 0) {
        this.tokens -= n;
        return;
      }
      await this.clock.sleep(Math.min(60_000, Math.ceil((-this.tokens / rate) * 1000)), signal);
    }
  }
}
