/** The local key store (kept by a person: a config error naming file and field) and quota counters (a damaged file never blocks an upload). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecpipeError } from '../../../src/core/errors.js';
import { FileKeyStore } from '../../../src/local/stores/file-key-store.js';
import { FileQuotaStore } from '../../../src/local/stores/file-quota-store.js';
import { tempDir } from '../../helpers/tmp.js';

const key = { id: 'abcdefabcdef', rig: 'rig-a', hash: 'a'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z' };

describe('a damaged key store', () => {
  it('is a config error (exit 2) naming the file and the field', async () => {
    const path = join(tempDir('rp-keys-'), 'keys.json');
    writeFileSync(path, JSON.stringify({ version: 1, keys: [key] }));
    expect((await new FileKeyStore(path).get(key.id))?.rig).toBe('rig-a');
    writeFileSync(path, JSON.stringify({ version: 1, keys: [{ ...key, hash: 'not-a-hash' }] }));
    await expect(new FileKeyStore(path).get(key.id)).rejects.toMatchObject({
      code: 'config',
      message: `key store ${path} cannot be read: keys[0].hash must be a SHA-256 (64 lowercase hex characters) (got "not-a-hash")`,
    });
  });
});

describe('a damaged quota counters file', () => {
  it('is handed on naming the file and field and read as no charges, so the charge is granted', async () => {
    const path = join(tempDir('rp-quota-'), 'quota.json');
    writeFileSync(path, JSON.stringify({ 'rig-a/2026-01-01': { bytes: '5', objects: 1 } }));
    const seen: RecpipeError[] = [];
    const store = new FileQuotaStore(path, undefined, (e) => seen.push(e));
    const granted = await store.tryCharge({ rig: 'rig-a', day: '2026-01-01', bytes: 10, objects: 1, maxBytes: 100, maxObjects: 10 });
    expect(granted).toEqual({ bytes: 10, objects: 1 });
    expect(seen.map((e) => e.message)).toEqual([`quota counters file ${path} cannot be read: rig-a/2026-01-01.bytes must be a whole number (got "5")`]);
    expect(await store.usage('rig-a', '2026-01-01')).toEqual({ bytes: 10, objects: 1 });
  });
});
