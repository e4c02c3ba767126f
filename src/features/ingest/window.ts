import type { RecpipeError } from '../../core/errors.js';
import { s3OutcomeOf } from '../../core/s3-outcome.js';

/**
 * How many PUTs the upload keeps in flight: at most `max` (what the memory budget allows), cut
 * by a quarter when the store answers 503 SlowDown and grown back by one after each quarter
 * window of parts that went through (additive increase, multiplicative decrease). A quarter,
 * not a half: S3 sheds a share of requests while it scales a prefix, and halving on each of
 * them collapsed the window to a few parts (measured with 5 % SlowDown: 8 parts in flight
 * instead of 16, slower than rclone). AWS asks clients that are
 * told to slow down to back off and to lower their request rate (S3 performance guidelines,
 * "Timeouts and Retries"; "Error retries and exponential backoff in AWS"): each retry waits a
 * full-jitter backoff (core/backoff.ts) and the window lowers the rate for everyone behind it.
 */
export class Window {
  /** The current limit, 1..max. */
  limit: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Successes since the limit last changed (a raise waits for a window's worth). */
  private since = 0;
  /** Successes since the last cut (none yet: any SlowDown cuts), and how many must pass before another. */
  private sinceCut = Infinity;
  private guard = 0;

  constructor(readonly max: number) {
    this.limit = Math.max(1, max);
  }

  /** Resolves once a slot is free under the current limit. */
  async acquire(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.inFlight--;
    this.admit();
  }

  /** A PUT went through: after a quarter window of them, one more slot. */
  succeeded(): void {
    this.sinceCut++;
    if (++this.since < Math.ceil(this.limit / 4) || this.limit >= this.max) return;
    this.limit++;
    this.since = 0;
    this.admit();
  }

  /**
   * The store asked to slow down: a quarter fewer. The parts already in flight when it was cut
   * answer from before the cut, so further SlowDowns count only after the new limit's worth of
   * parts went through.
   */
  slowDown(): void {
    if (this.sinceCut < this.guard) return;
    this.limit = this.guard = Math.max(1, Math.floor((this.limit * 3) / 4));
    this.since = 0;
    this.sinceCut = 0;
  }

  private admit(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) {
      this.inFlight++;
      this.waiting.shift()!();
    }
  }

  /** Runs `fn` in a slot. */
  async with<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** Parts in flight that fit in `budgetBytes` with buffers of `bufferBytes`, at least 1, at most `cap`. */
export function partsInFlight(budgetBytes: number, bufferBytes: number, cap = 64): number {
  return Math.max(1, Math.min(cap, Math.floor(budgetBytes / bufferBytes)));
}

/** The store's "slow down": 503 SlowDown (or any 503), 429, a throttling code, as the one S3 classifier says. */
export function isSlowDown(e: RecpipeError): boolean {
  return s3OutcomeOf(e) === 'throttled';
}
