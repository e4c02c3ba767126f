/** QuotaStore in memory, for unit tests. Single-threaded JS makes each charge atomic. */
import { fits, type QuotaCharge, type QuotaStore, type QuotaUsage } from '../../backend/quota/quota-store.js';

export class MemoryQuotaStore implements QuotaStore {
  private readonly counters = new Map<string, QuotaUsage>();

  async tryCharge(c: QuotaCharge): Promise<QuotaUsage | undefined> {
    const id = `${c.rig}/${c.day}`;
    const u = this.counters.get(id) ?? { bytes: 0, objects: 0 };
    if (!fits(u, c)) return undefined;
    const next = { bytes: u.bytes + c.bytes, objects: u.objects + c.objects };
    this.counters.set(id, next);
    return { ...next };
  }

  async usage(rig: string, day: string): Promise<QuotaUsage> {
    return { ...(this.counters.get(`${rig}/${day}`) ?? { bytes: 0, objects: 0 }) };
  }
}
