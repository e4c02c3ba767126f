import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { startS3Service } from '../../../src/local/s3/service.js';
import { tempDir } from '../../helpers/tmp.js';

/**
 * The s3rver socket under a data dir whose path is longer than a unix socket path may be (a long
 * TMPDIR): the stack still starts and serves, and leaves nothing outside its data dir.
 */
describe('the local S3 service under a long path', () => {
  it('serves from a data dir past the socket path limit and leaves no folder in the temp dir', async () => {
    // Prepare: a data dir whose socket path would be ~200 bytes.
    const dataDir = join(tempDir('rp-long-'), 'a-rather-long-folder-name-'.repeat(6));
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('rp-s3sock-'));
    const credentials = { accessKeyId: 'RPLONG', secretAccessKey: 'long-secret' };
    const svc = await startS3Service({ dataDir, credentials, region: 'us-east-1', buckets: { raw: 'long-raw', lake: 'long-lake' } });
    const client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials, maxAttempts: 1 });
    try {
      // Act
      const lake = new S3ObjectStore(client, 'long-lake');
      await lake.put('k', 'through the socket');
      // Assess
      expect((await lake.get('k')).toString()).toBe('through the socket');
      if (process.platform === 'linux') expect(readdirSync(tmpdir()).filter((n) => n.startsWith('rp-s3sock-'))).toEqual(before);
    } finally {
      client.destroy();
      await svc.close();
    }
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('rp-s3sock-'))).toEqual(before);
  });
});
