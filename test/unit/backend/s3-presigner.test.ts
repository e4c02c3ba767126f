import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3Presigner } from '../../../src/adapters/s3/presigner.js';

const settings = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' } };
const sha = { algorithm: 'SHA256' as const, value: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' };
const crc = { algorithm: 'CRC32C' as const, value: 'yZRlqg==' };

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}

describe('S3 presigner', () => {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const presigner = new S3Presigner(createS3Client(settings), 'recpipe-raw', clock);

  it('signs a single PUT with length, checksum and If-None-Match as signed headers, nothing baked from an empty body', async () => {
    // Act
    const req = await presigner.presignPut({ key: 'raw/rig-a/20210228_161221/a b.bin', size: 5, checksum: sha, expiresInSec: 900 });
    // Assess
    const q = query(req.url);
    expect(q['X-Amz-SignedHeaders'].split(';')).toEqual(['content-length', 'host', 'if-none-match', 'x-amz-checksum-sha256']);
    expect(q['X-Amz-Expires']).toBe('900');
    expect(q['X-Amz-Date']).toBe('20260301T100000Z');
    expect(Object.keys(q).filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(req.url).not.toContain('AAAAAA');
    expect(Object.keys(q).sort()).toEqual([
      'X-Amz-Algorithm',
      'X-Amz-Content-Sha256',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
      'x-id',
    ]);
    expect(new URL(req.url).pathname).toBe('/recpipe-raw/raw/rig-a/20210228_161221/a%20b.bin');
    expect(req).toMatchObject({ method: 'PUT', key: 'raw/rig-a/20210228_161221/a b.bin', expiresAt: '2026-03-01T10:15:00.000Z' });
    expect(req.headers).toEqual({ 'content-length': '5', 'x-amz-checksum-sha256': sha.value, 'if-none-match': '*' });
  });

  it('signs a CRC32C single PUT and honours a configured lifetime', async () => {
    const req = await presigner.presignPut({ key: 'k', size: 1, checksum: crc, expiresInSec: 120 });
    const q = query(req.url);
    expect(q['X-Amz-SignedHeaders']).toBe('content-length;host;if-none-match;x-amz-checksum-crc32c');
    expect(q['X-Amz-Expires']).toBe('120');
    expect(req.headers['x-amz-checksum-crc32c']).toBe(crc.value);
  });

  it('signs a part with its length and CRC32C as signed headers', async () => {
    const req = await presigner.presignPart({
      key: 'raw/rig-a/20210228_161221/big.bin',
      uploadId: 'UP1',
      partNumber: 7,
      size: 5242880,
      checksum: crc,
      expiresInSec: 900,
    });
    const q = query(req.url);
    expect(q['X-Amz-SignedHeaders']).toBe('content-length;host;x-amz-checksum-crc32c');
    expect(q).toMatchObject({ partNumber: '7', uploadId: 'UP1', 'X-Amz-Expires': '900' });
    expect(Object.keys(q).filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(req.headers).toEqual({ 'content-length': '5242880', 'x-amz-checksum-crc32c': crc.value });
  });

  it('starts multipart uploads with CRC32C and completes them with part checksums and If-None-Match', async () => {
    // Prepare
    const mock = mockClient(S3Client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'UP2' });
    mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"x-2"' });
    const p = new S3Presigner(new S3Client({ region: 'us-east-1' }), 'recpipe-raw', clock);
    // Act
    const started = await p.startMultipart('raw/rig-a/20210228_161221/big.bin');
    const done = await p.completeMultipart('raw/rig-a/20210228_161221/big.bin', 'UP2', [{ partNumber: 1, etag: '"e1"', checksum: crc }]);
    // Assess
    expect(started).toEqual({ uploadId: 'UP2' });
    expect(done).toEqual({ etag: '"x-2"' });
    expect(mock.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).toEqual({
      Bucket: 'recpipe-raw',
      Key: 'raw/rig-a/20210228_161221/big.bin',
      ChecksumAlgorithm: 'CRC32C',
    });
    expect(mock.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input).toEqual({
      Bucket: 'recpipe-raw',
      Key: 'raw/rig-a/20210228_161221/big.bin',
      UploadId: 'UP2',
      IfNoneMatch: '*',
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e1"', ChecksumCRC32C: crc.value }] },
    });
    mock.restore();
  });

  it('turns an overwrite refusal into conflict', async () => {
    const mock = mockClient(S3Client);
    mock.on(CompleteMultipartUploadCommand).rejects(
      Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
        name: 'PreconditionFailed',
        $metadata: { httpStatusCode: 412 },
      }),
    );
    const p = new S3Presigner(new S3Client({ region: 'us-east-1' }), 'recpipe-raw', clock);
    await expect(p.completeMultipart('k', 'U', [{ partNumber: 1, etag: '"e"', checksum: crc }])).rejects.toMatchObject({ code: 'conflict' });
    mock.restore();
  });
});
