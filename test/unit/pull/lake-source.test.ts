import { LakeSource } from '../../../src/features/pull/lake-source.js';
import { openStorage } from '../../../src/composition/storage.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('LakeSource.presignGet', () => {
  it('signs locally for a path-style endpoint with static credentials (the local stack)', async () => {
    // Prepare
    const now = new Date(Date.UTC(2026, 11, 3));
    const sdk = () => Promise.reject(new Error('the SDK was asked for'));
    const lake = new LakeSource({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', credentials }, 'recpipe-lake', sdk, {
      now: () => now,
      sleep: async () => undefined,
    });
    // Act
    const url = new URL(await lake.presignGet('processed/a b.npy', 600));
    // Assess
    expect(url.origin).toBe('http://127.0.0.1:9000');
    expect(url.pathname).toBe('/recpipe-lake/processed/a%20b.npy');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261203T000000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
  });

  it('leaves AWS endpoints to the SDK presigner (virtual-hosted, region-scoped)', async () => {
    // Prepare: the profile's storage, as the services build it
    const s3 = { region: 'eu-west-1', credentials };
    const storage = openStorage({ s3, rawBucket: 'recpipe-raw', lakeBucket: 'recpipe-lake' });
    const lake = new LakeSource(s3, 'recpipe-lake', async () => storage.lake);
    try {
      // Act
      const url = new URL(await lake.presignGet('processed/x.npy', 600));
      // Assess
      expect(url.host).toBe('recpipe-lake.s3.eu-west-1.amazonaws.com');
      expect(url.protocol).toBe('https:');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      storage.close();
    }
  });
});
