/** Part URLs signed in a batch (part-signer.ts) are the URLs the SDK's presigner makes, signature for signature. */
import { jest } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { partSigner } from '../../../src/adapters/s3/part-signer.js';
import { S3Presigner } from '../../../src/adapters/s3/presigner.js';

const clock = new ManualClock('2026-03-01T10:00:00.000Z');
const crc = (i: number) => ({ algorithm: 'CRC32C' as const, value: Buffer.from([i, 1, 2, 3]).toString('base64') });
const parts = Array.from({ length: 6 }, (_, i) => ({ partNumber: i + 1, size: i === 5 ? 12_345 : 6 * 1024 * 1024, checksum: crc(i) }));
const input = { key: 'raw/rig-a/20210228_161221/a b+(c).bin', uploadId: 'up/load+id=~1', parts, expiresInSec: 300 };

/** The signature and the other query values of a URL, whatever their order. */
const query = (url: string) => Object.fromEntries(new URL(url).searchParams.entries());

describe('part URLs signed in a batch', () => {
  for (const [name, client] of [
    [
      'the local gateway (path style, static keys)',
      createS3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } }),
    ],
    [
      'AWS (virtual host, a role session with a token)',
      new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'ASIA', secretAccessKey: 'secret2', sessionToken: 'tok/en+==' } }),
    ],
  ] as const) {
    it(`are the SDK presigner's URLs, part for part: ${name}`, async () => {
      const presigner = new S3Presigner(client, 'recpipe-raw', clock);
      const sdk = jest.spyOn(presigner, 'presignPart');
      const batch = await presigner.presignParts(input);
      // One through the SDK (the template), the other five from it.
      expect(sdk).toHaveBeenCalledTimes(1);
      const one = await Promise.all(parts.map((p) => presigner.presignPart({ ...input, ...p })));
      expect(batch.map((b) => b.partNumber)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const [i, b] of batch.entries()) {
        expect(new URL(b.url).origin + new URL(b.url).pathname).toBe(new URL(one[i].url).origin + new URL(one[i].url).pathname);
        expect(query(b.url)).toEqual(query(one[i].url));
        expect(b.headers).toEqual(one[i].headers);
        expect(b.expiresAt).toBe(one[i].expiresAt);
      }
    });
  }

  it('gives way to the SDK when the template cannot be reproduced', () => {
    const template =
      'http://h/b/k?X-Amz-Date=20260301T100000Z&X-Amz-Credential=A%2F20260301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=00&partNumber=1';
    expect(partSigner(template, { partNumber: 1, size: 1, checksum: { header: 'x-amz-checksum-crc32c', value: 'AAAAAA==' } }, 'secret')).toBeUndefined();
  });
});
