/**
 * The local consumer's queue: sessions are processed one at a time, a session already waiting
 * is not queued twice, and a session can come back after a delay (a retry, a lease to outwait).
 * It knows nothing of processing: it runs whatever `work` it was given. `idle()` resolves once
 * nothing is queued, running or waiting for its delay.
 */
import type { SessionRef } from '../../core/layout.js';

export class SessionQueue {
  private readonly queue: SessionRef[] = [];
  private readonly queued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];

  /** `work` runs one session; it must not throw (the consumer's handlers log their failures). */
  constructor(private readonly work: (ref: SessionRef) => Promise<void>) {}

  enqueue(ref: SessionRef): void {
    const id = `${ref.rig}/${ref.session}`;
    if (this.closed || this.queued.has(id)) return;
    this.queued.add(id);
    this.queue.push(ref);
    this.pump();
  }

  /** Queues `ref` again after `ms`. */
  later(ref: SessionRef, ms: number): void {
    if (this.closed) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        this.enqueue(ref);
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
  }

  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Stops taking work and cancels the delays; resolves once the running session is done. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
    this.settle();
  }

  private isIdle(): boolean {
    return !this.running && this.queue.length === 0 && this.timers.size === 0;
  }

  private pump(): void {
    if (this.running || this.closed) return this.settle();
    const ref = this.queue.shift();
    if (!ref) return this.settle();
    this.queued.delete(`${ref.rig}/${ref.session}`);
    this.running = this.work(ref).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const w = this.waiters;
    this.waiters = [];
    w.forEach((r) => r());
  }
}
