import { createHash } from 'node:crypto';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { startS3Service } from '../../../src/local/s3/service.js';
import { mapLimit } from '../../../src/core/map-limit.js';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { tempDir } from '../../helpers/tmp.js';

describe('listing more than one page through the gateway', () => {
  it('pages through 1,250 keys (s3rver alone crashes on its DES continuation token)', async () => {
    const credentials = { accessKeyId: 'RPLIST', secretAccessKey: 'list-secret' };
    const svc = await startS3Service({ dataDir: tempDir('rp-list-'), credentials, region: 'us-east-1', buckets: { raw: 'r', lake: 'l' } });
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

describe('gateway listings s3rver lacks', () => {
  const credentials = { accessKeyId: 'RPLIST2', secretAccessKey: 'list-secret-2' };
  let svc: Awaited<ReturnType<typeof startS3Service>>;
  let client: ReturnType<typeof createS3Client>;
  beforeAll(async () => {
    svc = await startS3Service({ dataDir: tempDir('rp-list-'), credentials, region: 'us-east-1', buckets: { raw: 'r', lake: 'l' } });
    client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials });
  });
  afterAll(async () => {
    client.destroy();
    await svc.close();
  });

  it('pages a delimited listing whose pages hold only common prefixes', async () => {
    const lake = new S3ObjectStore(client, 'l');
    for (const k of ['d/a/1', 'd/a/2', 'd/b/1', 'd/c/1', 'd/c/2', 'd/c/3', 'd/top.json']) await lake.put(k, 'x');
    const prefixes: string[] = [];
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await client.send(new ListObjectsV2Command({ Bucket: 'l', Prefix: 'd/', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
      prefixes.push(...(r.CommonPrefixes ?? []).map((p) => p.Prefix!));
      keys.push(...(r.Contents ?? []).map((c) => c.Key!));
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    expect(prefixes).toEqual(['d/a/', 'd/b/', 'd/c/']);
    expect(keys).toEqual(['d/top.json']);
  });

  it('lists unfinished multipart uploads by prefix, paged, and forgets completed ones', async () => {
    const raw = new S3ObjectStore(client, 'r');
    const ids: string[] = [];
    for (const k of ['raw/rig/20210101_000000/b.bin', 'raw/rig/20210101_000000/a.bin', 'raw/rig/20210101_000000/a.bin', 'elsewhere/x.bin']) {
      ids.push((await client.send(new CreateMultipartUploadCommand({ Bucket: 'r', Key: k }))).UploadId!);
    }
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: 'r', Prefix: 'raw/', MaxUploads: 2 }));
    expect(page.IsTruncated).toBe(true);
    expect(page.Uploads!.map((u) => u.Key)).toEqual(['raw/rig/20210101_000000/a.bin', 'raw/rig/20210101_000000/a.bin']);
    const all = await raw.listUploads('raw/');
    expect(all.map((u) => u.key)).toEqual(['raw/rig/20210101_000000/a.bin', 'raw/rig/20210101_000000/a.bin', 'raw/rig/20210101_000000/b.bin']);
    expect(new Set(all.map((u) => u.uploadId))).toEqual(new Set(ids.slice(0, 3)));
    for (const u of all) expect(Date.now() - u.initiated.getTime()).toBeLessThan(60_000);
    // Completing one removes it from the listing.
    const b = all.find((u) => u.key.endsWith('b.bin'))!;
    const body = Buffer.alloc(1024, 7);
    const part = await client.send(
      new UploadPartCommand({
        Bucket: 'r',
        Key: b.key,
        UploadId: b.uploadId,
        PartNumber: 1,
        Body: body,
        ContentMD5: createHash('md5').update(body).digest('base64'),
      }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({ Bucket: 'r', Key: b.key, UploadId: b.uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    expect((await raw.listUploads('raw/')).map((u) => u.key)).toEqual(['raw/rig/20210101_000000/a.bin', 'raw/rig/20210101_000000/a.bin']);
  });
});
