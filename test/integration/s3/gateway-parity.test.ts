/**
 * AWS rules the gateway holds that our code depends on (docs/aws-parity.md): the Object Lock
 * write rule on the raw bucket, and no unsigned x-amz-* headers on signed or presigned requests.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PutObjectCommand, UploadPartCommand, CreateMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { S3Presigner } from '../../../src/adapters/s3/presigner.js';
import { startS3Service, type S3Service } from '../../../src/local/s3/service.js';
import { systemClock } from '../../../src/adapters/system/clock.js';
import { tempDir } from '../../helpers/tmp.js';

const credentials = { accessKeyId: 'RPPARITY', secretAccessKey: 'parity-secret' };
const region = 'us-east-1';
const buckets = { raw: 'parity-raw', lake: 'parity-lake' };
const clock = systemClock;
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => ({ status: 200, name: 'ok' }),
    (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => ({ status: e.$metadata?.httpStatusCode, name: e.name }),
  );

let dataDir: string;
let svc: S3Service;
let client: S3Client;
let raw: S3ObjectStore;
let lake: S3ObjectStore;

beforeAll(async () => {
  dataDir = tempDir('rp-parity-');
  svc = await startS3Service({ dataDir, credentials, region, buckets, minPartSize: 1024 });
  client = createS3Client({ region, endpoint: svc.url, credentials, maxAttempts: 1 });
  raw = new S3ObjectStore(client, buckets.raw);
  lake = new S3ObjectStore(client, buckets.lake);
});
afterAll(async () => {
  client.destroy();
  await svc.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('gateway parity: Object Lock write rule on the raw bucket', () => {
  it('refuses a raw PutObject with neither Content-MD5 nor a checksum header (400 InvalidRequest), storing nothing', async () => {
    // Prepare
    const body = Buffer.from('{"manifest":true}');
    const bare = (Bucket: string, Key: string, extra = {}) =>
      errorOf(client.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentLength: body.length, ...extra })));
    // Act + Assess
    expect(await bare(buckets.raw, 'raw/r/20210101_000000/_manifest.json')).toEqual({ status: 400, name: 'InvalidRequest' });
    expect(await raw.head('raw/r/20210101_000000/_manifest.json')).toBeUndefined();
    expect(await bare(buckets.raw, 'raw/r/20210101_000000/md5.json', { ContentMD5: createHash('md5').update(body).digest('base64') })).toEqual({
      status: 200,
      name: 'ok',
    });
    expect(await bare(buckets.lake, 'catalog/x.json')).toEqual({ status: 200, name: 'ok' });
  });

  it('refuses a raw UploadPart without a checksum, accepts one with it', async () => {
    const key = 'raw/r/20210101_000000/big.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: buckets.raw, Key: key, ChecksumAlgorithm: 'CRC32C' }));
    const body = Buffer.alloc(2048, 1);
    expect(await errorOf(client.send(new UploadPartCommand({ Bucket: buckets.raw, Key: key, UploadId, PartNumber: 1, Body: body })))).toEqual({
      status: 400,
      name: 'InvalidRequest',
    });
    const md5 = createHash('md5').update(body).digest('base64');
    expect(await errorOf(client.send(new UploadPartCommand({ Bucket: buckets.raw, Key: key, UploadId, PartNumber: 1, Body: body, ContentMD5: md5 })))).toEqual({
      status: 200,
      name: 'ok',
    });
  });

  it('lets the ObjectStore adapter write to the raw bucket: every put carries its SHA-256', async () => {
    const body = Buffer.from('{"files":[]}');
    await raw.put('raw/r/20210102_000000/_manifest.json', body, { ifNoneMatch: true, contentType: 'application/json' });
    expect((await raw.head('raw/r/20210102_000000/_manifest.json'))?.checksums?.sha256).toBe(createHash('sha256').update(body).digest('base64'));
    expect((await lake.put('catalog/y.json', 'x')).size).toBe(1);
  });
});

describe('gateway parity: x-amz-* headers must be signed', () => {
  it('refuses a presigned PUT replayed with an added unsigned x-amz-copy-source, writing nothing', async () => {
    // Prepare: another rig's object, and this rig's presigned PUT for a new key
    const secret = Buffer.from('another rig recorded this');
    await raw.put('raw/other/20210101_000000/secret.bin', secret, { ifNoneMatch: true });
    const mine = Buffer.from('mine');
    const presigned = await new S3Presigner(client, buckets.raw, clock).presignPut({
      key: 'raw/r/20210103_000000/copy.bin',
      size: mine.length,
      checksum: { algorithm: 'SHA256', value: createHash('sha256').update(mine).digest('base64') },
      expiresInSec: 60,
    });
    // Act: the attack (every signed header as signed, one unsigned header added), then the honest request
    const attack = await fetch(presigned.url, {
      method: 'PUT',
      headers: { ...presigned.headers, 'x-amz-copy-source': `/${buckets.raw}/raw/other/20210101_000000/secret.bin` },
      body: mine,
    });
    const attackText = await attack.text();
    const afterAttack = await raw.head('raw/r/20210103_000000/copy.bin');
    const honest = await fetch(presigned.url, { method: 'PUT', headers: presigned.headers, body: mine });
    // Assess
    expect(attack.status).toBe(403);
    expect(attackText).toContain('x-amz-copy-source');
    expect(afterAttack).toBeUndefined();
    expect(honest.status).toBe(200);
    expect((await raw.get('raw/r/20210103_000000/copy.bin')).toString()).toBe('mine');
  });

  it('refuses a header-signed request with an x-amz-* header added after signing', async () => {
    const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false });
    const u = new URL(svc.url);
    const body = Buffer.from('abc');
    const signed = await signer.sign(
      new HttpRequest({
        method: 'PUT',
        protocol: 'http:',
        hostname: u.hostname,
        port: Number(u.port),
        path: `/${buckets.lake}/unsigned.bin`,
        headers: { host: u.host, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'), 'content-length': '3' },
      }),
    );
    const res = await fetch(`${svc.url}/${buckets.lake}/unsigned.bin`, { method: 'PUT', headers: { ...signed.headers, 'x-amz-meta-added': '1' }, body });
    expect(res.status).toBe(403);
    expect(await lake.head('unsigned.bin')).toBeUndefined();
  });

  it('signs exactly the headers the presigner hands the client, plus host', async () => {
    const p = await new S3Presigner(client, buckets.raw, clock).presignPut({
      key: 'raw/r/20210104_000000/a.bin',
      size: 1,
      checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' },
      expiresInSec: 60,
    });
    const signed = new URL(p.url).searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signed).toEqual(['host', ...Object.keys(p.headers)].sort());
  });
});
