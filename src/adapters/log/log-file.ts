/**
 * One append-only log file written in the background. Lines queue in memory and go out in
 * order, batched, one write at a time, so logging during an upload costs the event loop a string
 * push rather than a disk write.
 *
 * With `rotate`, the file turns over before a line would take it past `maxBytes` (a single
 * longer line gets a file of its own): `recpipe.log` becomes `recpipe1.log`, `recpipe1.log`
 * becomes `recpipe2.log` and so on, the oldest beyond `maxFiles` files in all being overwritten.
 * The current file keeps its name, so `tail -F` and the web view's `recpipe*.log` keep working;
 * these are the names winston's `tailable` option gave, which existing log folders already have.
 *
 * A failed open, write or rename drops the lines it was carrying and is passed to `onError`; the
 * next line tries again (a full disk may have room by then). Nothing here throws to the caller.
 */
import { appendFileSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export interface Rotation {
  maxBytes: number;
  /** Files kept in all, the current one included. */
  maxFiles: number;
}

/** The name of the `n`th older file of `path` (0: `path` itself): `logs/recpipe.log`, 2 -> `logs/recpipe2.log`. */
export function rotatedName(path: string, n: number): string {
  if (n === 0) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}${n}${ext}`);
}

export class LogFile {
  private readonly queue: string[] = [];
  private file: FileHandle | undefined;
  /** Bytes in the open file, as far as this process has written them. */
  private size = 0;
  private busy = false;
  private readonly idle: (() => void)[] = [];
  private closing: Promise<void> | undefined;
  /** After close: lines are appended synchronously (work finishing after the command returned). */
  private ended = false;

  constructor(
    readonly path: string,
    private readonly rotate: Rotation | undefined,
    private readonly onError: (path: string, e: unknown) => void,
  ) {}

  /** Queues `text` (whole lines, each ending in a newline). */
  write(text: string): void {
    if (this.ended) {
      try {
        appendFileSync(this.path, text);
      } catch (e) {
        this.onError(this.path, e);
      }
      return;
    }
    this.queue.push(text);
    if (this.busy) return;
    this.busy = true;
    void this.pump();
  }

  /** Resolves once every line queued so far is written and the file is closed; idempotent. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      while (this.busy) await new Promise<void>((res) => this.idle.push(res));
      // No await between the loop's last check and this: no line can slip into the queue unwritten.
      this.ended = true;
      const file = this.file;
      this.file = undefined;
      await file?.close().catch((e: unknown) => this.onError(this.path, e));
    })());
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) await this.step();
    this.busy = false;
    for (const res of this.idle.splice(0)) res();
  }

  /** Writes the queued lines that fit in the current file, or rotates it if none does. */
  private async step(): Promise<void> {
    let taken = 0;
    try {
      if (!this.file) {
        this.file = await open(this.path, 'a');
        this.size = (await this.file.stat()).size;
      }
      let bytes = 0;
      while (taken < this.queue.length) {
        const more = Buffer.byteLength(this.queue[taken]);
        if (this.rotate && this.size + bytes > 0 && this.size + bytes + more > this.rotate.maxBytes) break;
        bytes += more;
        taken += 1;
      }
      if (taken === 0) return await this.turnOver();
      await this.file.appendFile(this.queue.slice(0, taken).join(''));
      this.size += bytes;
      this.queue.splice(0, taken);
    } catch (e) {
      // Drop what this step carried (everything queued if the file would not open or rotate),
      // so a broken folder cannot keep the queue growing; the next line reopens the file.
      this.queue.splice(0, taken || this.queue.length);
      const file = this.file;
      this.file = undefined;
      await file?.close().catch(() => undefined);
      this.onError(this.path, e);
    }
  }

  /** `path` -> `path1` -> ... -> `path{maxFiles-1}`, the last overwritten; then a fresh `path`. */
  private async turnOver(): Promise<void> {
    const keep = this.rotate!.maxFiles;
    const file = this.file!;
    this.file = undefined;
    await file.close();
    if (keep <= 1) return await unlink(this.path);
    for (let n = keep - 1; n >= 1; n--) {
      await rename(rotatedName(this.path, n - 1), rotatedName(this.path, n)).catch((e: NodeJS.ErrnoException) => {
        // A gap in the series (a file removed by hand) just shifts less; a removed folder
        // is found by the next open.
        if (e.code !== 'ENOENT') throw e;
      });
    }
  }
}
