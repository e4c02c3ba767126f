/**
 * A stack killed mid-request: the crash state is rebuilt on disk (s3rver's own files, an
 * unfinished write intent, spooled bodies, unvalidated part files), then the stack starts on
 * that folder and must serve no partial object, accept the re-upload and keep open uploads.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { crc32c } from '@node-rs/crc32';
import S3rver from 's3rver';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { startS3Service, type S3Service } from '../../../src/local/s3/service.js';
import { crc32cBase64 } from '../../../src/local/s3/spool.js';
import { WriteIntents } from '../../../src/local/s3/write-intents.js';
import { tempDir } from '../../helpers/tmp.js';

const credentials = { accessKeyId: 'RPCRASH', secretAccessKey: 'crash-secret' };
const buckets = { raw: 'crash-raw', lake: 'crash-lake' };
const region = 'us-east-1';
const crc = (b: Buffer) => crc32cBase64(crc32c(b));
const opts = (dataDir: string) => ({ dataDir, credentials, region, buckets, minPartSize: 1024 });

let dataDir: string;
beforeEach(() => {
  dataDir = tempDir('rp-crash-');
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `fn` with a client of the service started on dataDir, then stops both. */
async function withService<T>(fn: (svc: S3Service, raw: S3ObjectStore, c: ReturnType<typeof createS3Client>) => Promise<T>): Promise<T> {
  const svc = await startS3Service(opts(dataDir));
  const c = createS3Client({ region, endpoint: svc.url, credentials, maxAttempts: 1 });
  try {
    return await fn(svc, new S3ObjectStore(c, buckets.raw), c);
  } finally {
    c.destroy();
    await svc.close();
  }
}

describe('local S3 service start-up after a crash', () => {
  it('removes an object whose write never finished, so the write-once key takes the re-upload', async () => {
    // Prepare: s3rver holds a short object under the final key; the gateway's intent is still there
    const key = 'raw/r/20210101_000000/data.bin';
    const whole = Buffer.alloc(64 * 1024, 7);
    const Ctor = S3rver as new (o: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };
    const bare = new Ctor({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: join(dataDir, 's3rver'),
      configureBuckets: [{ name: buckets.raw }, { name: buckets.lake }],
    });
    const { port } = await bare.run();
    const direct = createS3Client({
      region,
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
    });
    await direct.send(new PutObjectCommand({ Bucket: buckets.raw, Key: key, Body: whole.subarray(0, 1000) }));
    direct.destroy();
    await bare.close();
    await new WriteIntents(join(dataDir, 'writes')).begin(buckets.raw, key);
    mkdirSync(join(dataDir, 'tmp'), { recursive: true });
    writeFileSync(join(dataDir, 'tmp', 'body-1234-1'), Buffer.alloc(100));
    // Act
    await withService(async (svc, raw) => {
      const before = await raw.head(key);
      await raw.put(key, whole, { ifNoneMatch: true });
      // Assess
      expect(svc.cleanup).toMatchObject({ partialObjects: 1, spoolFiles: 1 });
      expect(before).toBeUndefined();
      expect(
        createHash('sha256')
          .update(await raw.get(key))
          .digest('hex'),
      ).toBe(createHash('sha256').update(whole).digest('hex'));
    });
    expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
    expect(readdirSync(join(dataDir, 'writes'))).toEqual([]);
  });

  it('drops part files never acknowledged and uploads never recorded, keeps open uploads resumable', async () => {
    // Prepare: one recorded upload with part 1 acknowledged, plus debris in s3rver's upload folder
    const key = 'raw/r/20210101_000000/big.bin';
    const part1 = Buffer.alloc(2000, 1);
    const part2 = Buffer.alloc(30, 2);
    const uploadId = await withService(async (_svc, _raw, c) => {
      const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: buckets.raw, Key: key, ChecksumAlgorithm: 'CRC32C' }));
      await c.send(
        new UploadPartCommand({ Bucket: buckets.raw, Key: key, UploadId, PartNumber: 1, Body: part1, ContentLength: part1.length, ChecksumCRC32C: crc(part1) }),
      );
      return UploadId!;
    });
    const uploads = join(dataDir, 's3rver', buckets.raw, '._S3rver_uploads');
    writeFileSync(join(uploads, uploadId, '2'), Buffer.alloc(10));
    mkdirSync(join(uploads, 'never-recorded'));
    writeFileSync(join(uploads, 'never-recorded', '1'), Buffer.alloc(10));
    // Act
    await withService(async (svc, raw, c) => {
      // Assess
      expect(svc.cleanup).toMatchObject({ strayParts: 1, expiredUploads: 1 });
      expect(readdirSync(uploads)).toEqual([uploadId]);
      const r2 = await c.send(
        new UploadPartCommand({
          Bucket: buckets.raw,
          Key: key,
          UploadId: uploadId,
          PartNumber: 2,
          Body: part2,
          ContentLength: part2.length,
          ChecksumCRC32C: crc(part2),
        }),
      );
      const r1ETag = `"${createHash('md5').update(part1).digest('hex')}"`;
      await c.send(
        new CompleteMultipartUploadCommand({
          Bucket: buckets.raw,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: r1ETag, ChecksumCRC32C: crc(part1) },
              { PartNumber: 2, ETag: r2.ETag, ChecksumCRC32C: crc(part2) },
            ],
          },
        }),
      );
      expect(await raw.get(key)).toEqual(Buffer.concat([part1, part2]));
    });
  });

  it('drops open uploads older than the lifecycle rule (7 days), as AbortIncompleteMultipartUpload does', async () => {
    // Prepare: an upload begun now, then the stack started 8 days later
    await withService(async (_svc, _raw, c) => {
      await c.send(new CreateMultipartUploadCommand({ Bucket: buckets.raw, Key: 'raw/r/20210101_000000/old.bin', ChecksumAlgorithm: 'CRC32C' }));
    });
    const later = Date.now() + 8 * 24 * 3600 * 1000;
    // Act
    const svc = await startS3Service({ ...opts(dataDir), now: () => later });
    await svc.close();
    // Assess
    expect(svc.cleanup.expiredUploads).toBe(1);
    expect(readdirSync(join(dataDir, 's3rver', buckets.raw, '._S3rver_uploads'))).toEqual([]);
  });

  it('removes object data s3rver kept without metadata (a name too long for it), so listing the folder works again', async () => {
    // Prepare: what a 240-byte file name left behind before keys were checked, and a write cut
    // between s3rver's data and metadata files; one whole object beside them
    const folder = join(dataDir, 's3rver', buckets.raw, 'raw', 'r', '20210101_000000');
    await withService(async (_svc, raw) => {
      await raw.put('raw/r/20210101_000000/kept.bin', 'kept');
    });
    writeFileSync(join(folder, 'x'.repeat(240) + '._S3rver_object'), 'attacker');
    writeFileSync(join(folder, 'cut.bin._S3rver_object'), 'half');
    writeFileSync(join(folder, 'cut.bin._S3rver_object.md5'), 'abc');
    // Act
    const listed = await withService(async (svc, raw) => ({ report: svc.cleanup, keys: (await raw.list('raw/')).map((o) => o.key) }));
    // Assess
    expect(listed.report.orphanObjects).toBe(2);
    expect(listed.keys).toEqual(['raw/r/20210101_000000/kept.bin']);
    expect(readdirSync(folder).sort()).toEqual(['kept.bin._S3rver_metadata.json', 'kept.bin._S3rver_object', 'kept.bin._S3rver_object.md5']);
  });

  it('answers a request line that does not decode with 400 InvalidURI, not 500', async () => {
    await withService(async (svc) => {
      const { port } = new URL(svc.url);
      const status = await new Promise<number>((resolve, reject) => {
        const r = request({ host: '127.0.0.1', port, method: 'GET', path: '/crash-raw/bad%E0%A4%A.bin' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on('error', reject);
        r.end();
      });
      expect(status).toBe(400);
    });
  });
});
