/**
 * Gathers a download's body slices into large reused buffers and writes each full buffer at its
 * position in the file while the next one fills, so the disk and the network overlap and the
 * file gets a few large writes instead of one
 * per socket read.
 *
 * Flow control: `push` copies the slice (its memory may be reused by the caller right after) and
 * returns false when every buffer is full or being written; the caller then stops reading until
 * `onDrain` fires. Each buffer has room for one batch plus one slice (`slack`), so a slice is
 * always taken whole and no byte ever waits outside a buffer.
 */
import { MAX_WRITE, writeAll, type WriteCall } from '../../adapters/fs/write-capped.js';

// The most one write call asks for (write-capped.ts).
export { MAX_WRITE };

/** Writes `length` bytes of `buffer` at `position`; resolves with the bytes written. */
export type PositionalWrite = WriteCall<number>;

export interface BatchBuffers {
  /** A batch is handed to the disk once it holds at least this many bytes. */
  batchBytes: number;
  /** The largest slice `push` takes without copying it aside. */
  slack: number;
  buffers: Buffer[];
}

/** Buffers for one download slot, reused from file to file. */
export function batchBuffers(batchBytes = 2 * 1024 * 1024, slack = 1024 * 1024, count = 2): BatchBuffers {
  return { batchBytes, slack, buffers: Array.from({ length: count }, () => Buffer.allocUnsafe(batchBytes + slack)) };
}

export class BatchWriter {
  private readonly free: Buffer[];
  private current: Buffer | undefined;
  private fill = 0;
  private position = 0;
  private chain: Promise<void> = Promise.resolve();
  private waiting = false;
  private failure: Error | undefined;
  /** Called once a buffer is free again after `push` returned false. */
  onDrain: () => void = () => undefined;
  /** Called once, on the first failed write. */
  onError: (e: Error) => void = () => undefined;
  /** Called after each write with the count of bytes now written (writes land in order). */
  onLanded: (bytes: number) => void = () => undefined;

  constructor(
    private readonly write: PositionalWrite,
    private readonly set: BatchBuffers,
  ) {
    if (set.buffers.length < 2 || set.buffers.some((b) => b.length < set.batchBytes + set.slack))
      throw new Error('BatchWriter needs two buffers of batchBytes + slack');
    this.free = [...set.buffers];
    this.current = this.free.pop();
  }

  /** Bytes accepted so far. */
  get bytes(): number {
    return this.position + this.fill;
  }

  /** Takes a copy of `chunk`; false means: stop reading until onDrain. */
  push(chunk: Buffer): boolean {
    if (this.failure) return false;
    if (!this.current) throw new Error('BatchWriter.push called while paused (push returned false before)');
    if (chunk.length > this.set.slack) {
      // Larger than a buffer's slack (only from streams with big chunks): write a copy by itself.
      this.handOff();
      const copy = Buffer.from(chunk);
      this.enqueue(copy, copy.length, undefined);
      this.position += copy.length;
      return this.current ? true : this.next();
    }
    chunk.copy(this.current, this.fill);
    this.fill += chunk.length;
    if (this.fill < this.set.batchBytes) return true;
    this.handOff();
    return this.next();
  }

  /** The free tail of the batch being filled (at least `slack` bytes), to read into directly. */
  space(): Buffer | undefined {
    return this.failure || !this.current ? undefined : this.current.subarray(this.fill);
  }

  /** `n` bytes were placed at the start of the last `space()`; false as for push. */
  commit(n: number): boolean {
    if (this.failure) return false;
    if (!this.current || this.fill + n > this.current.length) throw new Error('BatchWriter.commit without space');
    this.fill += n;
    if (this.fill < this.set.batchBytes) return true;
    this.handOff();
    return this.next();
  }

  /** Throws the write failure, if there was one. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Writes what is left and resolves once every write has landed; rejects with the first failure. */
  async finish(): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.fill > 0) this.handOff();
    await this.chain;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- set by a write that failed during the await; TS still narrows it to undefined
    if (this.failure) throw this.failure;
    return this.position;
  }

  /** Waits for writes already started, ignoring their outcome (after the download failed). */
  async settle(): Promise<void> {
    this.failure ??= new Error('download abandoned');
    await this.chain.catch(() => undefined);
  }

  private next(): boolean {
    this.current = this.free.pop();
    if (this.current) return true;
    this.waiting = true;
    return false;
  }

  private handOff(): void {
    if (!this.current || this.fill === 0) return;
    const buffer = this.current;
    const length = this.fill;
    this.enqueue(buffer, length, buffer);
    this.position += length;
    this.current = undefined;
    this.fill = 0;
  }

  private enqueue(buffer: Buffer, length: number, reuse: Buffer | undefined): void {
    const at = this.position;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await writeAll(this.write, buffer, length, at);
      } catch (e) {
        this.failure = e as Error;
        this.onError(this.failure);
        return;
      }
      if (reuse) this.free.push(reuse);
      this.onLanded(at + length);
      if (this.waiting && !this.current) {
        this.waiting = false;
        this.current = this.free.pop();
        this.onDrain();
      }
    });
  }
}
