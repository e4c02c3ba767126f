/**
 * The whole-file SHA-256 of a file written range by range in any order. The GET that brings
 * the file from its start (fetch-ranged.ts's leading GET) feeds the hash directly, as the bytes
 * arrive; every other range is read back from the file and hashed once it and every range
 * before it are written, so hashing runs while later ranges still download. The read-back comes
 * from the page cache (the bytes were just written), one reused 1 MB buffer per file.
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { ByteRange } from './fetch-body.js';

/** The partial file ends before a range it should hold (it was cut or replaced behind our back). */
export class ShortPart extends Error {
  constructor(at: number) {
    super(`the partial file ends at byte ${at}, before a range recorded as written`);
    this.name = 'ShortPart';
  }
}

export class OrderedHash {
  private h = createHash('sha256');
  private next = 0;
  /** A GET feeds the hash directly; no read-back meanwhile. */
  private inline = false;
  private reading = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly buffer = Buffer.allocUnsafe(1024 * 1024);

  constructor(
    private readonly fh: FileHandle,
    private readonly ranges: readonly ByteRange[],
    private readonly done: ReadonlySet<number>,
  ) {}

  /** Hashes what has become hashable (call after a range is done). */
  kick(): void {
    this.chain = this.chain.then(() => this.advance());
    // Handled here too: a failed read is reported by digest(), not as an unhandled rejection.
    this.chain.catch(() => undefined);
  }

  /** The digest, once every range is done and hashed; throws a read failure. */
  async digest(): Promise<string> {
    this.kick();
    await this.chain;
    if (this.next < this.ranges.length) throw new Error(`OrderedHash.digest before range ${this.next} was done`);
    return this.h.digest('hex');
  }

  /**
   * The hash, for a GET about to bring range `i` and those after it in order, when every range
   * before `i` is hashed and no read-back runs; else undefined (its ranges are read back).
   */
  inlineFrom(i: number): Hash | undefined {
    if (this.inline || this.reading || this.next !== i) return undefined;
    this.inline = true;
    return this.h;
  }

  /** The inline GET fed every byte before range `k` (and is over): read-back goes on from there. */
  inlineEnd(k: number): void {
    this.inline = false;
    this.next = k;
    this.kick();
  }

  /** The inline GET failed part-way, so the hash holds bytes of an unfinished range: start over, from the file. */
  restart(): void {
    this.inline = false;
    this.h = createHash('sha256');
    this.next = 0;
    this.kick();
  }

  /** Waits for reads in flight, ignoring their outcome (after a failed download). */
  async settle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  private async advance(): Promise<void> {
    try {
      while (!this.inline && this.next < this.ranges.length && this.done.has(this.next)) {
        // Only while a range is being read back may no GET hash inline (a kick with nothing to read blocks nothing).
        this.reading = true;
        const { start, end } = this.ranges[this.next];
        for (let at = start; at <= end;) {
          const { bytesRead } = await this.fh.read(this.buffer, 0, Math.min(this.buffer.length, end + 1 - at), at);
          if (bytesRead <= 0) throw new ShortPart(at);
          this.h.update(this.buffer.subarray(0, bytesRead));
          at += bytesRead;
        }
        this.next++;
      }
    } finally {
      this.reading = false;
    }
  }
}
