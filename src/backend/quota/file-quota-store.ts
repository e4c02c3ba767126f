/**
 * QuotaStore for the local stack: counters in one JSON file ($RECPIPE_HOME/local/quota.json,
 * 0600). Charges are serialized in this process and each one is written atomically (temp file +
 * rename) before it is granted; the local API is the only writer (one stack per RECPIPE_HOME).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../adapters/fs/atomic-write.js';
import { fits, type QuotaCharge, type QuotaStore, type QuotaUsage } from './quota-store.js';

export const quotaFilePath = (localDir: string) => join(localDir, 'quota.json');

type Counters = Record<string, QuotaUsage>;

export class FileQuotaStore implements QuotaStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  tryCharge(c: QuotaCharge): Promise<QuotaUsage | undefined> {
    return this.serial(() => {
      const all = this.read();
      const id = `${c.rig}/${c.day}`;
      const u = all[id] ?? { bytes: 0, objects: 0 };
      if (!fits(u, c)) return undefined;
      const next = { bytes: u.bytes + c.bytes, objects: u.objects + c.objects };
      // Drop counters more than two days older than this charge (as DynamoDB's TTL does):
      // clocks move forward, so they are never charged again.
      const cutoff = new Date(Date.parse(`${c.day}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
      const kept = Object.fromEntries(Object.entries(all).filter(([k]) => k.slice(k.lastIndexOf('/') + 1) >= cutoff));
      writeFileAtomicSync(this.path, JSON.stringify({ ...kept, [id]: next }) + '\n', { mode: 0o600 });
      return { ...next };
    });
  }

  usage(rig: string, day: string): Promise<QuotaUsage> {
    return this.serial(() => ({ ...(this.read()[`${rig}/${day}`] ?? { bytes: 0, objects: 0 }) }));
  }

  private serial<T>(f: () => T): Promise<T> {
    const next = this.queue.then(f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private read(): Counters {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Counters;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
  }
}
