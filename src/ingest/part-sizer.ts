/**
 * The part size of each multipart file of an upload, chosen from what its first PUTs show
 * (the rule: core/ingest/part-size.ts). The first file probes at the configured size; files
 * started later wait for the choice (or for the probe to have started all its parts, so the link
 * never idles while waiting) and keep it. The size is per file and the journal records it, so
 * a resumed file keeps the size it began with and all parts of one file are the same size.
 */
import { choosePartSize, type PutSample } from '../core/ingest/part-size.js';

export class PartSizer {
  private readonly samples: PutSample[] = [];
  private firstStart?: number;
  private chosen?: number;
  private probing = false;
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
    if (large <= small) this.chosen = small;
  }

  /** The size chosen, if any yet. */
  get choice(): number | undefined {
    return this.chosen;
  }

  /** The part size for a multipart file about to start; `probe`: it is the file that probes (call probeDone). */
  async forNewFile(): Promise<{ size: number; probe: boolean }> {
    for (;;) {
      if (this.chosen !== undefined) return { size: this.chosen, probe: false };
      if (!this.probing) {
        this.probing = true;
        return { size: this.small, probe: true };
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** A PUT is starting: returns its start time for `sent`. */
  starting(): number {
    const t = this.now();
    this.firstStart ??= t;
    return t;
  }

  /** A PUT of `bytes` that started at `startedAt` went through. */
  sent(bytes: number, startedAt: number): void {
    if (this.chosen !== undefined) return;
    const t = this.now();
    this.samples.push({ bytes, ms: t - startedAt });
    this.chosen = choosePartSize({ samples: this.samples, spanMs: t - this.firstStart!, small: this.small, large: this.large, budget: this.budget });
    if (this.chosen !== undefined) this.wake();
  }

  /** The probing file has started all its parts (or stopped): the next file may start (and probe on). */
  probeDone(): void {
    if (!this.probing) return;
    this.probing = false;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    w.forEach((f) => f());
  }
}
