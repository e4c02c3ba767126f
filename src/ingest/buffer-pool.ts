/**
 * A fixed set of part-sized buffers, reused for every part of every file, so memory stays
 * flat whatever the file size (and no time goes into allocating fresh memory).
 */
import { open } from 'node:fs/promises';

export class BufferPool {
  private free: Buffer[] = [];
  private waiting: ((b: Buffer) => void)[] = [];
  private created = 0;
  private scratchBuffer?: Buffer;

  constructor(
    private readonly size: number,
    private readonly count: number,
  ) {}

  async acquire(): Promise<Buffer> {
    const b = this.free.pop();
    if (b) return b;
    if (this.created < this.count) {
      this.created++;
      return Buffer.allocUnsafe(this.size);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(b: Buffer): void {
    const w = this.waiting.shift();
    if (w) w(b);
    else this.free.push(b);
  }

  /** A buffer for sequential reads (hashing), kept between files. */
  scratch(): Buffer {
    this.scratchBuffer ??= Buffer.allocUnsafe(Math.min(this.size, 4 * 1024 * 1024));
    return this.scratchBuffer;
  }

  /** Reads `size` bytes at `offset` of `path` into `buffer`; returns the filled view. */
  async fill(buffer: Buffer, path: string, offset: number, size: number): Promise<Buffer> {
    const fh = await open(path, 'r');
    try {
      let got = 0;
      while (got < size) {
        const { bytesRead } = await fh.read(buffer, got, size - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    } finally {
      await fh.close();
    }
  }
}
