import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { crc32c } from '@node-rs/crc32';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { S3Presigner } from '../../../src/adapters/s3/presigner.js';
import { startS3Service, type ObjectCreatedEvent, type S3Service } from '../../../src/local/s3/service.js';
import { crc32cBase64 } from '../../../src/local/s3/spool.js';
import { systemClock } from '../../../src/adapters/system/clock.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/cli.js';

const credentials = { accessKeyId: 'RPTESTKEY', secretAccessKey: 'test-secret-test-secret' };
const buckets = { raw: 'recpipe-raw', lake: 'recpipe-lake' };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

let svc: S3Service;
let client: S3Client;
let raw: S3ObjectStore;
let lake: S3ObjectStore;
let presigner: S3Presigner;
/** How far the store's clock runs ahead of the signer's (a test moves it to expire a URL). */
let storeAheadMs = 0;

beforeAll(async () => {
  svc = await startS3Service({
    dataDir: tempDir('rp-s3-'),
    credentials,
    region: 'us-east-1',
    buckets,
    minPartSize: 1024,
    now: () => Date.now() + storeAheadMs,
  });
  client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials });
  raw = new S3ObjectStore(client, buckets.raw);
  lake = new S3ObjectStore(client, buckets.lake);
  presigner = new S3Presigner(client, buckets.raw, systemClock);
});
afterAll(async () => {
  client.destroy();
  await svc.close();
});

async function presignedPut(key: string, body: Buffer, send: Buffer = body, expiresInSec = 60) {
  const p = await presigner.presignPut({ key, size: body.length, checksum: { algorithm: 'SHA256', value: sha256(body).toString('base64') }, expiresInSec });
  return { p, res: await fetch(p.url, { method: 'PUT', headers: p.headers, body: send, duplex: 'half' }) };
}

describe('local S3 gateway', () => {
  it('lets a read whose client leaves mid-body go: the next read and write of the key are answered', async () => {
    const key = 'left/mid-body.bin';
    const body = Buffer.alloc(16 * 1024 * 1024, 7);
    await lake.put(key, body);
    const url = await lake.presignGet(key, 60);
    // The client takes the head and a first chunk, stops reading (the gateway waits for the
    // socket to drain), then leaves.
    await new Promise<void>((resolve) => {
      const req = request(url, (res) => {
        res.once('data', () => {
          res.pause();
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 50);
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    expect(sha256(await lake.get(key))).toEqual(sha256(body));
    await lake.put(key, Buffer.from('replaced'));
    expect((await lake.get(key)).toString()).toBe('replaced');
  });

  it('stores bytes bit-identically and lists hostile keys', async () => {
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const key = "hello? sausage/êé/Hello, 世界/'q' +plus %pct.bin";
    await lake.put(key, body);
    expect(sha256(await lake.get(key))).toEqual(sha256(body));
    expect((await lake.head(key))?.size).toBe(body.length);
    expect((await lake.list('hello? sausage/')).map((o) => o.key)).toEqual([key]);
    expect(await lake.head('nope')).toBeUndefined();
  });

  it('accepts a presigned PUT with the signed checksum and emits an S3-encoded event', async () => {
    const events: ObjectCreatedEvent[] = [];
    svc.events.on('object-created', (e) => events.push(e));
    const body = Buffer.from('session bytes');
    const { res } = await presignedPut('raw/rig-a/20210228_161221/a b+c.bin', body);
    expect(res.status).toBe(200);
    expect(await raw.get('raw/rig-a/20210228_161221/a b+c.bin')).toEqual(body);
    expect(events.map((e) => e.key)).toContain('raw/rig-a/20210228_161221/a+b%2Bc.bin');
  });

  it('rejects a wrong body, a short body, a changed key and an expired URL, storing nothing', async () => {
    const body = Buffer.from('the real bytes');
    const flipped = Buffer.from(body);
    flipped[3] ^= 1;
    expect((await presignedPut('raw/rig-a/20210228_161221/flip.bin', body, flipped)).res.status).toBe(400);
    expect(await raw.head('raw/rig-a/20210228_161221/flip.bin')).toBeUndefined();

    const p = await presigner.presignPut({
      key: 'raw/rig-a/20210228_161221/short.bin',
      size: body.length,
      checksum: { algorithm: 'SHA256', value: sha256(body).toString('base64') },
      expiresInSec: 60,
    });
    const changedKey = p.url.replace('short.bin', 'other.bin');
    expect((await fetch(changedKey, { method: 'PUT', headers: p.headers, body })).status).toBe(403);
    expect(await raw.head('raw/rig-a/20210228_161221/other.bin')).toBeUndefined();
    const other = Buffer.alloc(body.length, 0x41);
    const lying = { ...p.headers, 'x-amz-checksum-sha256': sha256(other).toString('base64') };
    expect((await fetch(p.url, { method: 'PUT', headers: lying, body: other })).status).toBe(403);
    // A body cut short: the connection goes away once the gateway has its first 5 bytes.
    const shortKey = 'raw/rig-a/20210228_161221/short.bin';
    const before = svc.stats.bytesReceived(buckets.raw, shortKey);
    const cut = request(p.url, { method: 'PUT', headers: p.headers });
    const gone = new Promise<void>((resolve) => cut.on('close', () => resolve()));
    cut.on('error', () => {});
    cut.write(body.subarray(0, 5));
    await waitFor(() => svc.stats.bytesReceived(buckets.raw, shortKey) >= before + 5, 30_000, 'the first 5 bytes at the gateway');
    cut.destroy();
    await gone;
    expect(await raw.head(shortKey)).toBeUndefined();

    const expired = await presigner.presignPut({
      key: 'raw/rig-a/20210228_161221/late.bin',
      size: body.length,
      checksum: { algorithm: 'SHA256', value: sha256(body).toString('base64') },
      expiresInSec: 1,
    });
    // The store's clock moves past the URL's one second, instead of the test waiting it out.
    storeAheadMs = 2_000;
    try {
      const late = await fetch(expired.url, { method: 'PUT', headers: expired.headers, body });
      expect(late.status).toBe(403);
      expect(await late.text()).toContain('Request has expired');
    } finally {
      storeAheadMs = 0;
    }
    expect(await raw.head('raw/rig-a/20210228_161221/late.bin')).toBeUndefined();
  });

  it('keeps the raw bucket write-once and undeletable', async () => {
    const key = 'raw/rig-a/20210228_161221/once.bin';
    expect((await presignedPut(key, Buffer.from('first'))).res.status).toBe(200);
    expect((await presignedPut(key, Buffer.from('second'))).res.status).toBe(412);
    await expect(raw.put(key, 'third')).rejects.toMatchObject({ code: 'conflict' });
    await expect(client.send(new DeleteObjectCommand({ Bucket: buckets.raw, Key: key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect((await raw.get(key)).toString()).toBe('first');
  });

  it('gives exactly one winner to concurrent conditional writes', async () => {
    const key = 'catalog/ledger/x.json';
    const first = await lake.put(key, 'v0');
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => lake.put(key, `v${i + 1}`, { ifMatch: first.etag })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason.code === 'conflict')).toBe(true);
    const creates = await Promise.allSettled(Array.from({ length: 5 }, () => lake.put('catalog/ledger/new.json', 'x', { ifNoneMatch: true })));
    expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('lets a read racing overwrites of the same key see a whole old or new object, never a torn one', async () => {
    // One attempt and a short timeout: a torn read must show, not be retried away or hang.
    const strict = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials, maxAttempts: 1 });
    const store = new S3ObjectStore(strict, buckets.lake);
    try {
      const key = 'catalog/ledger/race.json';
      const bodies = Array.from({ length: 24 }, (_, i) => Buffer.alloc(1024 * 1024 + i * 997, i + 1));
      const known = new Set(bodies.map((b) => sha256(b).toString('hex')));
      await store.put(key, bodies[0]);
      const reads: Promise<Buffer>[] = [];
      const writes: Promise<unknown>[] = [];
      for (let i = 1; i < bodies.length; i++) {
        writes.push(store.put(key, bodies[i]));
        for (let r = 0; r < 3; r++) reads.push(store.get(key));
      }
      await Promise.all(writes);
      for (const got of await Promise.all(reads)) expect(known.has(sha256(got).toString('hex'))).toBe(true);
    } finally {
      strict.destroy();
    }
  }, 30_000);

  it('checks multipart part checksums and completes once', async () => {
    const key = 'raw/rig-a/20210228_161221/big.bin';
    const parts = [Buffer.alloc(2048, 1), Buffer.alloc(2048, 2), Buffer.alloc(100, 3)];
    const { uploadId } = await presigner.startMultipart(key);
    const done = [];
    for (const [i, part] of parts.entries()) {
      const checksum = { algorithm: 'CRC32C' as const, value: crc32cBase64(crc32c(part)) };
      const p = await presigner.presignPart({ key, uploadId, partNumber: i + 1, size: part.length, checksum, expiresInSec: 60 });
      if (i === 1) {
        const bad = Buffer.from(part);
        bad[0] ^= 0xff;
        expect((await fetch(p.url, { method: 'PUT', headers: p.headers, body: bad })).status).toBe(400);
      }
      const res = await fetch(p.url, { method: 'PUT', headers: p.headers, body: part });
      expect(res.status).toBe(200);
      done.push({ partNumber: i + 1, etag: res.headers.get('etag')!, checksum });
    }
    await presigner.completeMultipart(key, uploadId, done);
    expect(sha256(await raw.get(key))).toEqual(sha256(Buffer.concat(parts)));
  });

  it('injects faults: a dropped connection stores nothing, a 503 is retryable', async () => {
    svc.faults.add({ match: { bucket: buckets.lake, keyPrefix: 'faulty/' }, action: { type: 'status', status: 503, code: 'SlowDown' }, times: 1 });
    const noRetry = new S3ObjectStore(createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials, maxAttempts: 1 }), buckets.lake);
    await expect(noRetry.put('faulty/a', 'x')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    svc.faults.add({ match: { bucket: buckets.lake, keyPrefix: 'faulty/' }, action: { type: 'drop-after-bytes', bytes: 10 }, times: 1 });
    await expect(noRetry.put('faulty/b', Buffer.alloc(100_000, 7))).rejects.toBeDefined();
    expect(await lake.head('faulty/b')).toBeUndefined();
  });
});
