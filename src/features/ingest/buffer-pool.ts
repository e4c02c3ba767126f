/**
 * The part buffers: one block of memory (the upload's memory budget), from which each part
 * takes a slice of its own size and gives it back when sent. Parts of different sizes share it
 * (the part size is chosen per file, core/ingest/part-size.ts), memory stays flat whatever the
 * file size, and nothing is allocated per part. The block is allocated once, on first use;
 * pages the parts never touch cost no memory.
 *
 * A part may be read ahead, into memory that is free at the time (never waiting for any): the
 * first parts of an upload are read while its first batch of URLs is on its way, and the sender
 * then takes them as read (`read`). What is read ahead and never taken goes back with `forget`.
 */
import { open } from 'node:fs/promises';

interface Range {
  start: number;
  size: number;
}

export class BufferPool {
  private block?: Buffer;
  /** Free ranges of the block, by start, never adjacent (released ranges merge). */
  private free: Range[];
  /** First come, first served: a large part is not passed over by a stream of small ones. */
  private waiting: { size: number; resolve: (b: Buffer) => void }[] = [];
  /** Parts read ahead, by path, offset and size: the slice and its read. */
  private readonly early = new Map<string, { buffer: Buffer; read: Promise<Buffer | undefined> }>();

  /** `bytes`: the size of the block; a request larger than it can never be met. */
  constructor(readonly bytes: number) {
    this.free = [{ start: 0, size: bytes }];
  }

  /** A slice of `size` bytes, once that much is free. */
  async acquire(size: number): Promise<Buffer> {
    if (size > this.bytes) throw new Error(`a part of ${size} bytes does not fit in the ${this.bytes}-byte buffer block`);
    const b = this.waiting.length === 0 ? this.take(size) : undefined;
    if (b) return b;
    return new Promise((resolve) => this.waiting.push({ size, resolve }));
  }

  release(b: Buffer): void {
    this.give({ start: b.byteOffset - this.block!.byteOffset, size: b.length });
    while (this.waiting.length > 0) {
      const next = this.take(this.waiting[0].size);
      if (!next) break;
      this.waiting.shift()!.resolve(next);
    }
  }

  /** First fit. */
  private take(size: number): Buffer | undefined {
    const i = this.free.findIndex((r) => r.size >= size);
    if (i < 0) return undefined;
    const r = this.free[i];
    this.block ??= Buffer.allocUnsafeSlow(this.bytes);
    const slice = this.block.subarray(r.start, r.start + size);
    if (r.size === size) this.free.splice(i, 1);
    else this.free[i] = { start: r.start + size, size: r.size - size };
    return slice;
  }

  private give(r: Range): void {
    let i = this.free.findIndex((f) => f.start > r.start);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, r);
    // Merge with the next range, then with the previous one.
    const next = this.free[i + 1];
    if (next && r.start + r.size === next.start) this.free.splice(i, 2, { start: r.start, size: r.size + next.size });
    const prev = this.free[i - 1];
    const cur = this.free[i];
    if (prev && prev.start + prev.size === cur.start) this.free.splice(i - 1, 2, { start: prev.start, size: prev.size + cur.size });
  }

  /** Bytes free right now (for tests and reports). */
  get freeBytes(): number {
    return this.free.reduce((n, r) => n + r.size, 0);
  }

  /**
   * Reads the part at `offset` of `path` into memory free right now; false when none is (or
   * others wait for it), so a caller reading ahead stops there.
   */
  readAhead(path: string, offset: number, size: number): boolean {
    const key = `${path}\0${offset}\0${size}`;
    if (this.early.has(key)) return true;
    const buffer = size <= this.bytes && this.waiting.length === 0 ? this.take(size) : undefined;
    if (!buffer) return false;
    // A failed read is read again by the sender, which reports it.
    this.early.set(key, { buffer, read: this.fill(buffer, path, offset).catch(() => undefined) });
    return true;
  }

  /**
   * The part at `offset` of `path`: `body` is what the file holds there (shorter if the file is
   * shorter), in `buffer`, which goes back with `release` once the part is sent.
   */
  async read(path: string, offset: number, size: number): Promise<{ buffer: Buffer; body: Buffer }> {
    const key = `${path}\0${offset}\0${size}`;
    const ahead = this.early.get(key);
    this.early.delete(key);
    const buffer = ahead?.buffer ?? (await this.acquire(size));
    try {
      const body = (await ahead?.read) ?? (await this.fill(buffer, path, offset));
      return { buffer, body };
    } catch (e) {
      this.release(buffer);
      throw e;
    }
  }

  /** Gives back every part read ahead and not taken (once its read is over). */
  async forget(): Promise<void> {
    const left = [...this.early.values()];
    this.early.clear();
    for (const a of left) {
      await a.read;
      this.release(a.buffer);
    }
  }

  /** Reads `buffer.length` bytes at `offset` of `path` into `buffer`; returns the filled view. */
  async fill(buffer: Buffer, path: string, offset: number): Promise<Buffer> {
    const fh = await open(path, 'r');
    try {
      let got = 0;
      while (got < buffer.length) {
        const { bytesRead } = await fh.read(buffer, got, buffer.length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    } finally {
      await fh.close();
    }
  }
}
