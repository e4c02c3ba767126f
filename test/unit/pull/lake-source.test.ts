import { LakeSource } from '../../../src/pull/lake-source.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('LakeSource.presignGet', () => {
  it('signs locally for a path-style endpoint with static credentials (the local stack)', async () => {
    const now = new Date(Date.UTC(2026, 11, 3));
    const lake = new LakeSource({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', credentials }, 'recpipe-lake', {
      now: () => now,
      sleep: async () => undefined,
    });
    const url = new URL(await lake.presignGet('processed/a b.npy', 600));
    expect(url.origin).toBe('http://127.0.0.1:9000');
    expect(url.pathname).toBe('/recpipe-lake/processed/a%20b.npy');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261203T000000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    await lake.close();
  });

  it('leaves AWS endpoints to the SDK presigner (virtual-hosted, region-scoped)', async () => {
    const lake = new LakeSource({ region: 'eu-west-1', credentials }, 'recpipe-lake');
    try {
      const url = new URL(await lake.presignGet('processed/x.npy', 600));
      expect(url.host).toBe('recpipe-lake.s3.eu-west-1.amazonaws.com');
      expect(url.protocol).toBe('https:');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await lake.close();
    }
  });
});
