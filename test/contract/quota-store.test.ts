import { readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../src/adapters/fs/atomic-write.js';
import { join } from 'node:path';
import { MemoryQuotaStore } from '../../src/adapters/memory/quota-store.js';
import { FileQuotaStore } from '../../src/local/stores/file-quota-store.js';
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

  it('writes the charges that arrive during a write together, each on disk before it is granted', async () => {
    const path = tempFile();
    const writes: string[] = [];
    const store = new FileQuotaStore(path, async (p, data, o) => {
      writes.push(data);
      await writeFileAtomic(p, data, o);
    });
    const charge = { rig: 'rig-a', day: '2026-03-01', bytes: 1, objects: 1, maxBytes: 100, maxObjects: 15 };
    const granted = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.tryCharge(charge).then((u) => {
          // Granted only once a write holding it is on disk: another process would see it.
          if (u) expect(JSON.parse(readFileSync(path, 'utf8'))['rig-a/2026-03-01'].objects).toBeGreaterThanOrEqual(u.objects);
          return u;
        }),
      ),
    );
    expect(granted.filter(Boolean)).toHaveLength(15);
    // The first charge is written alone; the 19 that arrived meanwhile in one more write.
    expect(writes).toHaveLength(2);
    expect(await new FileQuotaStore(path).usage('rig-a', '2026-03-01')).toEqual({ bytes: 15, objects: 15 });
  });
});
