import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand, type CompletedPart } from '@aws-sdk/client-s3';
import { crc32c } from '@node-rs/crc32';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { startS3Service } from '../../../src/local/s3/service.js';
import { crc32cBase64 } from '../../../src/local/s3/spool.js';
import { tempDir } from '../../helpers/tmp.js';

const credentials = { accessKeyId: 'RPRESTART', secretAccessKey: 'restart-secret' };
const buckets = { raw: 'restart-raw', lake: 'restart-lake' };
const crc = (b: Buffer) => crc32cBase64(crc32c(b));
const opts = (dataDir: string) => ({ dataDir, credentials, region: 'us-east-1', buckets, minPartSize: 1024 });

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir('rp-restart-');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('local S3 service across a restart', () => {
  it('still checks part checksums, keeps objects, checksums and write-once after restarting on the same folder', async () => {
    // Prepare: parts uploaded to a first run of the stack
    const key = 'raw/r/20210101_000000/big.bin';
    const parts = [Buffer.alloc(2000, 1), Buffer.alloc(50, 2)];
    const first = await startS3Service(opts(dataDir));
    const c1 = createS3Client({ region: 'us-east-1', endpoint: first.url, credentials, maxAttempts: 1 });
    const { UploadId } = await c1.send(new CreateMultipartUploadCommand({ Bucket: buckets.raw, Key: key, ChecksumAlgorithm: 'CRC32C' }));
    const done: CompletedPart[] = [];
    for (const [i, body] of parts.entries()) {
      const r = await c1.send(
        new UploadPartCommand({
          Bucket: buckets.raw,
          Key: key,
          UploadId,
          PartNumber: i + 1,
          Body: body,
          ContentLength: body.length,
          ChecksumCRC32C: crc(body),
        }),
      );
      done.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32C: crc(body) });
    }
    c1.destroy();
    await first.close();

    // Act: complete against a second run
    const second = await startS3Service(opts(dataDir));
    const c2 = createS3Client({ region: 'us-east-1', endpoint: second.url, credentials, maxAttempts: 1 });
    const complete = (list: CompletedPart[]) =>
      c2.send(new CompleteMultipartUploadCommand({ Bucket: buckets.raw, Key: key, UploadId, IfNoneMatch: '*', MultipartUpload: { Parts: list } }));
    try {
      const lying = complete([done[0], { ...done[1], ChecksumCRC32C: crc(Buffer.from('x')) }]);
      await expect(lying).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
      await complete(done);
      const raw = new S3ObjectStore(c2, buckets.raw);

      // Assert
      const got = await raw.get(key);
      expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(Buffer.concat(parts)).digest('hex'));
      expect((await raw.head(key))?.checksums?.crc32c).toMatch(/-2$/);
      await expect(raw.put(key, 'overwrite')).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      c2.destroy();
      await second.close();
    }
  });
});
