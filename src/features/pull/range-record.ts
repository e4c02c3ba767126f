/**
 * What a ranged download has finished, kept next to its partial file (`<final>.part.ranges`) so
 * an interrupted pull resumes inside a large file instead of starting it again. The record
 * names the object (key, size, SHA-256), the range size and this boot of the machine: the
 * partial file is not flushed to disk, so after a reboot (or for another object) it is not
 * trusted and the file starts over. Whatever is trusted is hashed again with the rest before
 * the file is renamed into place, so a wrong record costs a download, never a wrong file.
 */
import { readFile, rm } from 'node:fs/promises';
import type { PullItem } from './plan.js';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { isRecpipeError, type RecpipeError } from '../../core/errors.js';
import { arrayOf, fieldsOf, int, str } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

export interface RangeRecord {
  key: string;
  bytes: number;
  sha256: string;
  rangeBytes: number;
  bootId: string;
  /** Indexes of the ranges written whole. */
  done: number[];
}

export const recordPath = (path: string): string => `${path}.part.ranges`;

export const RANGE_RECORD = storedRecord<RangeRecord>({
  what: 'download range record',
  hint: 'nothing to do: the file is downloaded again from its start',
  shape: fieldsOf<RangeRecord>()({ key: str, bytes: int, sha256: str, rangeBytes: int, bootId: str, done: arrayOf(int) }),
});

/**
 * The ranges already done for this object on this boot, or none. A damaged record only drops
 * the resume: it is handed to `damaged` (the pull warns, naming the file and field) and the file
 * starts over.
 */
export async function loadDone(
  path: string,
  f: PullItem,
  rangeBytes: number,
  bootId: string | undefined,
  damaged?: (e: RecpipeError) => void,
): Promise<Set<number>> {
  if (bootId === undefined) return new Set();
  let text: Buffer;
  try {
    text = await readFile(recordPath(path));
  } catch {
    return new Set();
  }
  try {
    const r = RANGE_RECORD.parse(text, recordPath(path));
    const same = r.key === f.key && r.bytes === f.bytes && r.sha256 === f.sha256 && r.rangeBytes === rangeBytes && r.bootId === bootId;
    return same ? new Set(r.done) : new Set();
  } catch (e) {
    if (!isRecpipeError(e)) throw e;
    damaged?.(e);
    return new Set();
  }
}

/** Saves records one after the other, each the newest state (a crash leaves the old or the new). */
export class RecordWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    private readonly path: string,
    private readonly f: PullItem,
    private readonly rangeBytes: number,
    private readonly bootId: string | undefined,
  ) {}

  /**
   * Queues a save of `done` as it is when the save runs; while one is queued and not yet
   * started, another call adds nothing (that save will see the newer state). A failed save is
   * logged by nobody: the next one retries.
   */
  save(done: Set<number>): void {
    if (this.bootId === undefined || this.queued) return;
    this.queued = true;
    this.chain = this.chain
      .catch(() => undefined)
      .then(async () => {
        this.queued = false;
        const r: RangeRecord = {
          key: this.f.key,
          bytes: this.f.bytes,
          sha256: this.f.sha256,
          rangeBytes: this.rangeBytes,
          bootId: this.bootId!,
          done: [...done].sort((a, b) => a - b),
        };
        // Trusted on this boot only (loadDone), so not flushed: see AtomicWriteOptions.sync.
        await writeFileAtomic(recordPath(this.path), JSON.stringify(r) + '\n', { sync: false });
      });
    this.chain.catch(() => undefined);
  }

  /** Waits for the saves queued so far. */
  async settle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  async remove(): Promise<void> {
    await this.chain.catch(() => undefined);
    await rm(recordPath(this.path), { force: true });
  }
}
