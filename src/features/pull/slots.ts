/**
 * Download slots: each one connection's worth of memory (a receive buffer for the response head
 * and a pair of write buffers) and the connection itself, kept open and reused from request to
 * request. The pool is also the limit on
 * connections in flight across all files: a request waits for a free slot.
 */
import { KeptConnection } from '../../adapters/http/raw-get.js';
import { batchBuffers, type BatchBuffers } from './batch-writer.js';

export interface Slot {
  read: Buffer;
  write: BatchBuffers;
  /** The slot's connection, kept open from one GET to the next (keep-alive). */
  conn: KeptConnection;
}

export class SlotPool {
  private readonly free: Slot[] = [];
  private readonly all: Slot[] = [];
  private created = 0;
  private readonly waiters: ((s: Slot) => void)[] = [];

  constructor(readonly size: number) {}

  /** Slots taken now. */
  get inUse(): number {
    return this.created - this.free.length;
  }

  /** Resolves with a slot once one is free (made on first need: a small pull allocates little). */
  acquire(): Promise<Slot> {
    const s = this.tryAcquire();
    return s ? Promise.resolve(s) : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A free slot now, or undefined (nothing waits). */
  tryAcquire(): Slot | undefined {
    const s = this.free.pop();
    if (s) return s;
    if (this.created >= this.size) return undefined;
    this.created++;
    // 1 MB batches with 512 KB of slack for the socket read that overflows a batch: 3 MB a
    // connection, 48 MB for 16.
    const slot = { read: Buffer.allocUnsafe(64 * 1024), write: batchBuffers(1024 * 1024, 512 * 1024), conn: new KeptConnection() };
    this.all.push(slot);
    return slot;
  }

  /** Closes every kept connection (the pull is over). */
  close(): void {
    for (const s of this.all) s.conn.close();
  }

  /** GETs that reused a kept connection, in all (for logs and tests). */
  get reused(): number {
    return this.all.reduce((n, s) => n + s.conn.reused, 0);
  }

  release(s: Slot): void {
    const w = this.waiters.shift();
    if (w) w(s);
    else this.free.push(s);
  }

  /** Runs `fn` with a slot, released afterwards whatever happens. */
  async with<T>(fn: (s: Slot) => Promise<T>): Promise<T> {
    const s = await this.acquire();
    try {
      return await fn(s);
    } finally {
      this.release(s);
    }
  }
}
