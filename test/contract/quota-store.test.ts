import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryQuotaStore } from '../../src/adapters/memory/quota-store.js';
import { FileQuotaStore } from '../../src/backend/quota/file-quota-store.js';
import { describeQuotaStoreContract } from './quota-store.contract.js';
import { tempDir } from '../helpers/tmp.js';

const dirs: string[] = [];
const tempFile = () => {
  const d = tempDir('rp-quota-');
  dirs.push(d);
  return join(d, 'local', 'quota.json');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describeQuotaStoreContract('MemoryQuotaStore', () => new MemoryQuotaStore());
describeQuotaStoreContract('FileQuotaStore', () => new FileQuotaStore(tempFile()));

describe('FileQuotaStore', () => {
  it('keeps its counters across restarts, in a file only the owner can read', async () => {
    const path = tempFile();
    await new FileQuotaStore(path).tryCharge({ rig: 'rig-a', day: '2026-03-01', bytes: 7, objects: 1, maxBytes: 100, maxObjects: 5 });
    expect(await new FileQuotaStore(path).usage('rig-a', '2026-03-01')).toEqual({ bytes: 7, objects: 1 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
