/**
 * The QuotaStore contract (src/backend/quota/quota-store.ts), run against every adapter that can
 * run here (quota-store.test.ts: memory, file). The DynamoDB adapter is checked at the request
 * level only (test/unit/backend/dynamo-quota-store.test.ts, aws-sdk-client-mock): the one
 * conditional UpdateItem that holds the ceilings; how DynamoDB evaluates it is AWS's, not tested
 * offline (no DynamoDB engine we did not write runs here).
 */
import type { QuotaCharge, QuotaStore } from '../../src/backend/quota/quota-store.js';

const charge = (over: Partial<QuotaCharge> = {}): QuotaCharge => ({
  rig: 'rig-a',
  day: '2026-03-01',
  bytes: 10,
  objects: 1,
  maxBytes: 100,
  maxObjects: 5,
  ...over,
});

export function describeQuotaStoreContract(name: string, make: () => QuotaStore | Promise<QuotaStore>): void {
  describe(`QuotaStore contract: ${name}`, () => {
    it('starts at zero and counts charges that fit, returning the totals after each', async () => {
      const q = await make();
      expect(await q.usage('rig-a', '2026-03-01')).toEqual({ bytes: 0, objects: 0 });
      expect(await q.tryCharge(charge())).toEqual({ bytes: 10, objects: 1 });
      expect(await q.tryCharge(charge({ bytes: 90 }))).toEqual({ bytes: 100, objects: 2 });
      expect(await q.usage('rig-a', '2026-03-01')).toEqual({ bytes: 100, objects: 2 });
    });

    it('refuses a charge past either ceiling and changes nothing', async () => {
      const q = await make();
      await q.tryCharge(charge({ bytes: 95 }));
      expect(await q.tryCharge(charge({ bytes: 6 }))).toBeUndefined();
      expect(await q.tryCharge(charge({ bytes: 0, objects: 5 }))).toBeUndefined();
      expect(await q.usage('rig-a', '2026-03-01')).toEqual({ bytes: 95, objects: 1 });
    });

    it('refuses a first charge that is larger than a ceiling on its own', async () => {
      const q = await make();
      expect(await q.tryCharge(charge({ bytes: 101 }))).toBeUndefined();
      expect(await q.tryCharge(charge({ objects: 6 }))).toBeUndefined();
      expect(await q.usage('rig-a', '2026-03-01')).toEqual({ bytes: 0, objects: 0 });
    });

    it('keeps rigs and days apart', async () => {
      const q = await make();
      await q.tryCharge(charge({ bytes: 100 }));
      expect(await q.tryCharge(charge({ rig: 'rig-b', bytes: 100 }))).toEqual({ bytes: 100, objects: 1 });
      expect(await q.tryCharge(charge({ day: '2026-03-02', bytes: 100 }))).toEqual({ bytes: 100, objects: 1 });
      expect(await q.usage('rig-b', '2026-03-01')).toEqual({ bytes: 100, objects: 1 });
    });

    it('counts only the concurrent charges that fit', async () => {
      const q = await make();
      const results = await Promise.all(Array.from({ length: 20 }, () => q.tryCharge(charge({ bytes: 10, maxObjects: 100 }))));
      expect(results.filter((r) => r !== undefined)).toHaveLength(10);
      expect(await q.usage('rig-a', '2026-03-01')).toEqual({ bytes: 100, objects: 10 });
    });
  });
}
