/**
 * The KeyStore contract (src/backend/ports.ts), run against every adapter that can run here.
 * The DynamoDB adapter is not run through it: no DynamoDB engine we did not write can run
 * offline, and a fake that answers as we expect proves nothing. It is checked at the request
 * level instead (test/unit/backend/aws-adapters.test.ts, with aws-sdk-client-mock): each rule
 * below is a DynamoDB condition it sends (create: attribute_not_exists(id); revoke:
 * attribute_exists(id) and if_not_exists(revokedAt); reads ConsistentRead), and AWS's
 * evaluation of those conditions is taken from AWS's documentation, not tested.
 */
import type { ApiKeyRecord, KeyStore } from '../../src/backend/ports.js';

const record = (id: string, createdAt: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  rig: 'rig-a',
  hash: 'a'.repeat(64),
  createdAt,
  ...over,
});

/** `make` gives a fresh, empty store; `again`, when the adapter has one, a second handle on the same storage (another process). */
export function describeKeyStoreContract(name: string, make: () => KeyStore | Promise<KeyStore>, again?: (store: KeyStore) => KeyStore): void {
  describe(`KeyStore contract: ${name}`, () => {
    it('gives back what was created, and undefined for an unknown id', async () => {
      const s = await make();
      await s.create(record('id0000000001', '2026-01-01T00:00:00.000Z', { label: 'lab 1, ünïcode' }));
      expect(await s.get('id0000000001')).toEqual(record('id0000000001', '2026-01-01T00:00:00.000Z', { label: 'lab 1, ünïcode' }));
      expect(await s.get('id0000000002')).toBeUndefined();
    });

    it('refuses a second record with the same id (conflict) and keeps the first', async () => {
      const s = await make();
      await s.create(record('id0000000001', '2026-01-01T00:00:00.000Z'));
      await expect(s.create(record('id0000000001', '2026-02-01T00:00:00.000Z', { rig: 'rig-b' }))).rejects.toMatchObject({ code: 'conflict' });
      expect(await s.get('id0000000001')).toMatchObject({ rig: 'rig-a', createdAt: '2026-01-01T00:00:00.000Z' });
    });

    it('revokes once: a second revoke keeps the first time; an unknown id is not_found', async () => {
      const s = await make();
      await s.create(record('id0000000001', '2026-01-01T00:00:00.000Z'));
      expect(await s.revoke('id0000000001', new Date('2026-03-01T00:00:00.000Z'))).toMatchObject({ revokedAt: '2026-03-01T00:00:00.000Z' });
      expect(await s.revoke('id0000000001', new Date('2026-04-01T00:00:00.000Z'))).toMatchObject({ revokedAt: '2026-03-01T00:00:00.000Z' });
      expect(await s.get('id0000000001')).toMatchObject({ revokedAt: '2026-03-01T00:00:00.000Z' });
      await expect(s.revoke('id0000000009', new Date())).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lists every record, oldest first, then by id', async () => {
      const s = await make();
      await s.create(record('id0000000003', '2026-01-02T00:00:00.000Z'));
      await s.create(record('id0000000002', '2026-01-01T00:00:00.000Z'));
      await s.create(record('id0000000001', '2026-01-02T00:00:00.000Z'));
      expect((await s.list()).map((r) => r.id)).toEqual(['id0000000002', 'id0000000001', 'id0000000003']);
    });

    it('does not let a caller change a stored record through what it was handed', async () => {
      const s = await make();
      await s.create(record('id0000000001', '2026-01-01T00:00:00.000Z'));
      const got = (await s.get('id0000000001'))!;
      got.revokedAt = '2026-01-02T00:00:00.000Z';
      (await s.list())[0].rig = 'rig-z';
      expect(await s.get('id0000000001')).toEqual(record('id0000000001', '2026-01-01T00:00:00.000Z'));
    });

    if (again) {
      it('shows a revoke made through another handle on the next read (another process revoking)', async () => {
        const s = await make();
        await s.create(record('id0000000001', '2026-01-01T00:00:00.000Z'));
        expect(await s.get('id0000000001')).not.toHaveProperty('revokedAt');
        await again(s).revoke('id0000000001', new Date('2026-03-01T00:00:00.000Z'));
        expect(await s.get('id0000000001')).toMatchObject({ revokedAt: '2026-03-01T00:00:00.000Z' });
      });
    }
  });
}
