import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { startS3Service } from '../../../src/local/s3/service.js';
import { mapLimit } from '../../../src/core/map-limit.js';

describe('listing more than one page through the gateway', () => {
  it('pages through 1,250 keys (s3rver alone crashes on its DES continuation token)', async () => {
    const credentials = { accessKeyId: 'RPLIST', secretAccessKey: 'list-secret' };
    const svc = await startS3Service({ dataDir: mkdtempSync(join(tmpdir(), 'rp-list-')), credentials, region: 'us-east-1', buckets: { raw: 'r', lake: 'l' } });
    const client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials });
    try {
      const lake = new S3ObjectStore(client, 'l');
      const keys = Array.from({ length: 1250 }, (_, i) => `catalog/sessions/dt=2021-01-01/k ${String(i).padStart(5, '0')}&+.json`);
      await mapLimit(keys, 16, (k) => lake.put(k, 'x'));
      await lake.put('other/z.json', 'x');
      const listed = await lake.list('catalog/');
      expect(listed.map((o) => o.key)).toEqual([...keys].sort());
    } finally {
      client.destroy();
      await svc.close();
    }
  }, 60_000);
});
