/**
 * The part size for multipart files of an upload, chosen from what its first PUTs show (the
 * rule: core/ingest/part-size.ts). Files planned before the choice get the configured size; the
 * planner (part-planner.ts) decides when a file waits for the choice. The size is per file and
 * the journal records it, so a resumed file keeps the size it began with and all parts of one
 * file are the same size.
 */
import { choosePartSize, type PutSample } from '../../core/ingest/part-size.js';

export class PartSizer {
  private readonly samples: PutSample[] = [];
  private firstStart?: number;
  private decided?: number;
  private waiting: (() => void)[] = [];

  /**
   * `small`: the configured part size; `large`: the most to grow to (equal: no choice to make);
   * `budget`: bytes the part buffers share; `now`: a millisecond clock (injected in tests).
   */
  constructor(
    readonly small: number,
    readonly large: number,
    private readonly budget: number,
    private readonly now: () => number,
  ) {
    if (large <= small) this.decided = small;
  }

  /** The size chosen, if any yet. */
  get choice(): number | undefined {
    return this.decided;
  }

  /** Resolves with the size once it is chosen. */
  chosen(): Promise<number> {
    const chosen = this.decided;
    if (chosen !== undefined) return Promise.resolve(chosen);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.decided!)));
  }

  /** A PUT is starting: returns its start time for `sent`. */
  starting(): number {
    const t = this.now();
    this.firstStart ??= t;
    return t;
  }

  /** A PUT of `bytes` that started at `startedAt` went through. */
  sent(bytes: number, startedAt: number): void {
    if (this.decided !== undefined) return;
    const t = this.now();
    this.samples.push({ bytes, ms: t - startedAt });
    this.decided = choosePartSize({ samples: this.samples, spanMs: t - this.firstStart!, small: this.small, large: this.large, budget: this.budget });
    if (this.decided !== undefined) this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    w.forEach((f) => f());
  }
}
