/**
 * Why the gateway exists: s3rver 3.7 on its own accepts what S3 refuses. If one of these
 * starts failing, s3rver learned to check and the gateway's rule can be revisited.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import S3rver from 's3rver';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { tempDir } from '../../helpers/tmp.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let dir: string;
let server: { run(): Promise<AddressInfo>; close(): Promise<void> };
let client: S3Client;

beforeAll(async () => {
  dir = tempDir('rp-s3rver-');
  const Ctor = S3rver as new (o: Record<string, unknown>) => typeof server;
  server = new Ctor({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'bare' }] });
  const { port } = await server.run();
  client = createS3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('s3rver without the gateway', () => {
  it('stores a body whose signed SHA-256 does not match, under a key the URL was not signed for', async () => {
    // Prepare
    const body = Buffer.from('the real bytes');
    const wrong = Buffer.from('the fake bytes');
    const checksum = createHash('sha256').update(body).digest('base64');
    const headers = { 'content-length': String(body.length), 'x-amz-checksum-sha256': checksum, 'if-none-match': '*' };
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: 'bare', Key: 'a.bin', ContentLength: body.length, ChecksumSHA256: checksum, IfNoneMatch: '*' }),
      {
        expiresIn: 60,
        signableHeaders: new Set(Object.keys(headers)),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      },
    );
    // Act
    const res = await fetch(url.replace('a.bin', 'b.bin'), { method: 'PUT', headers, body: wrong });
    const again = await fetch(url.replace('a.bin', 'b.bin'), { method: 'PUT', headers, body: wrong });
    // Assert
    expect([res.status, again.status]).toEqual([200, 200]);
    const stored = await client.send(new GetObjectCommand({ Bucket: 'bare', Key: 'b.bin' }));
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(wrong);
  });
});
