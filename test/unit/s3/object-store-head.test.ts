/** HEAD of a missing key: 404 is "absent"; 403 (no s3:ListBucket) is a clear forbidden naming the grant. */
import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';

const answering = (name: string, status: number) =>
  ({ send: async () => Promise.reject(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })) }) as unknown as S3Client;

describe('S3ObjectStore.head', () => {
  it('reads a 404 as absent', async () => {
    await expect(new S3ObjectStore(answering('NotFound', 404), 'raw-b').head('raw/r/20210101_000000/_manifest.json')).resolves.toBeUndefined();
  });

  it('reads a 403 as forbidden, not absent, and names s3:ListBucket as the fix', async () => {
    await expect(new S3ObjectStore(answering('Forbidden', 403), 'raw-b').head('raw/r/20210101_000000/_manifest.json')).rejects.toMatchObject({
      code: 'forbidden',
      retryable: false,
      message: expect.stringContaining('s3://raw-b/raw/r/20210101_000000/_manifest.json'),
      hint: expect.stringContaining('s3:ListBucket on bucket raw-b with no s3:prefix condition'),
    });
  });
});
