/**
 * QuotaStore for the local stack: counters in one JSON file ($RECPIPE_HOME/local/quota.json,
 * 0600). Every charge is written atomically (temp file + fsync + rename) before it is granted;
 * the local API is the only writer (one stack per RECPIPE_HOME).
 *
 * Group commit: charges that arrive while a write is under way wait for the next one, which
 * decides them all in arrival order and writes them once. An upload asks for one charge per part
 * with many parts in flight; a synchronous fsync per charge (about 5 ms here) blocked the API's
 * event loop for a quarter of a 600 MB loopback upload, and every presign queued behind it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../adapters/fs/atomic-write.js';
import { fits, type QuotaCharge, type QuotaStore, type QuotaUsage } from '../../backend/quota/quota-store.js';
import { isRecpipeError, type RecpipeError } from '../../core/errors.js';
import { int, mapOf, obj } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';

export const quotaFilePath = (localDir: string) => join(localDir, 'quota.json');

type Counters = Record<string, QuotaUsage>;

const COUNTERS = storedRecord<Counters>({
  what: 'quota counters file',
  hint: "nothing to do: the day's counters start again from zero and the next charge rewrites the file",
  shape: mapOf(obj({ bytes: int, objects: int })),
});

interface Pending {
  charge: QuotaCharge;
  resolve: (u: QuotaUsage | undefined) => void;
  reject: (e: unknown) => void;
}

export class FileQuotaStore implements QuotaStore {
  private pending: Pending[] = [];
  /** Batches are being written (the loop below runs); `writing` ends when it stops. */
  private busy = false;
  private writing: Promise<void> = Promise.resolve();

  /** `write`: the atomic write (a test counts the writes). */
  constructor(
    private readonly path: string,
    private readonly write: (path: string, data: string, o: { mode: number }) => Promise<void> = writeFileAtomic,
    /** Told when the file is damaged (read then as no charges yet: a damaged counter never blocks an upload). */
    private readonly damaged?: (e: RecpipeError) => void,
  ) {}

  tryCharge(charge: QuotaCharge): Promise<QuotaUsage | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ charge, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        this.writing = this.flush();
      }
    });
  }

  async usage(rig: string, day: string): Promise<QuotaUsage> {
    // Counters on disk are granted charges only: a charge being written is not counted yet.
    await this.writing;
    return { ...(this.read()[`${rig}/${day}`] ?? { bytes: 0, objects: 0 }) };
  }

  /** Writes batches until no charge waits. Each batch: decide in order, write once, then answer. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const all = this.read();
        const answers = batch.map(({ charge: c }) => {
          const id = `${c.rig}/${c.day}`;
          const u = all[id] ?? { bytes: 0, objects: 0 };
          if (!fits(u, c)) return undefined;
          all[id] = { bytes: u.bytes + c.bytes, objects: u.objects + c.objects };
          return { ...all[id] };
        });
        if (answers.some((a) => a !== undefined)) await this.write(this.path, JSON.stringify(pruned(all, batch)) + '\n', { mode: 0o600 });
        batch.forEach((p, i) => p.resolve(answers[i]));
      } catch (e) {
        batch.forEach((p) => p.reject(e));
      }
    }
    // Same synchronous step as the loop's last check: no charge can arrive in between.
    this.busy = false;
  }

  private read(): Counters {
    let text: Buffer;
    try {
      text = readFileSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    try {
      return COUNTERS.parse(text, this.path);
    } catch (e) {
      if (!isRecpipeError(e)) throw e;
      this.damaged?.(e);
      return {};
    }
  }
}

/**
 * Drops counters more than two days older than the newest charge of the batch (as DynamoDB's TTL
 * does): clocks move forward, so they are never charged again.
 */
function pruned(all: Counters, batch: Pending[]): Counters {
  const newest = batch.map((p) => p.charge.day).reduce((a, b) => (a > b ? a : b));
  const cutoff = new Date(Date.parse(`${newest}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.slice(k.lastIndexOf('/') + 1) >= cutoff));
}
