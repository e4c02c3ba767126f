/**
 * Attacks with a valid rig token on the upload routes: writing into a committed session,
 * exhausting storage (quota, oversize files, oversize declared lengths). Each is refused with
 * nothing signed and nothing written.
 */
import { checksumOf } from '../../src/adapters/memory/presigner.js';
import { apiFixture, manifestFor } from '../unit/backend/fixture.js';

const SESSION = '20210228_161221';
const crc = (b: Buffer) => ({ algorithm: 'CRC32C', value: checksumOf(b, 'CRC32C') });
const sha = (b: Buffer) => ({ algorithm: 'SHA256', value: checksumOf(b, 'SHA256') });
const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(8, 1) };

async function committed() {
  const f = await apiFixture();
  const token = await f.login(f.keyA.apiKey);
  for (const [name, body] of Object.entries(files)) await f.raw.put(`raw/rig-a/${SESSION}/${name}`, body);
  const start = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'late.bin', size: 8 }, token);
  expect(start.status).toBe(200);
  expect((await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token)).status).toBe(200);
  f.presigner.calls.length = 0;
  return { f, token, uploadId: start.json.uploadId as string };
}

describe('attack: writing into a committed session', () => {
  it('refuses a new single-PUT URL, a new multipart upload and part URLs of an open one', async () => {
    // Prepare
    const { f, token, uploadId } = await committed();
    const before = (await f.raw.list('raw/')).map((o) => o.key);
    const body = Buffer.alloc(8, 2);
    // Act
    const put = await f.call('POST', '/v1/presign', { session: SESSION, file: 'extra.bin', size: 8, checksum: sha(body) }, token);
    const start = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'extra.bin', size: 8 }, token);
    const part = await f.call(
      'POST',
      '/v1/multipart/part',
      { session: SESSION, file: 'late.bin', uploadId, partNumber: 1, size: 8, checksum: crc(body) },
      token,
    );
    // Assess
    for (const res of [put, start, part]) {
      expect(res.status).toBe(409);
      expect(res.json.error.message).toContain('already committed');
    }
    expect(f.presigner.calls).toEqual([]);
    expect((await f.raw.list('raw/')).map((o) => o.key)).toEqual(before);
  });

  it('a URL presigned before the commit and replayed after it cannot overwrite a committed file', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const urls = [];
    for (const [name, body] of Object.entries(files)) {
      const url = await f.call('POST', '/v1/presign', { session: SESSION, file: name, size: body.length, checksum: sha(body) }, token);
      await f.presigner.send(url.json, body);
      urls.push(url.json);
    }
    await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token);
    await expect(f.presigner.send(urls[1], files['data.bin'])).rejects.toMatchObject({ code: 'conflict' });
    expect(await f.raw.get(`raw/rig-a/${SESSION}/data.bin`)).toEqual(files['data.bin']);
  });
});

describe('attack: exhausting storage', () => {
  it('refuses a file larger than the largest allowed, single PUT or multipart, before signing', async () => {
    const f = await apiFixture({ maxFileBytes: 100 });
    const token = await f.login(f.keyA.apiKey);
    const put = await f.call('POST', '/v1/presign', { session: SESSION, file: 'a.bin', size: 101, checksum: sha(Buffer.alloc(1)) }, token);
    const start = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'b.bin', size: 101 }, token);
    for (const res of [put, start]) {
      expect(res.status).toBe(429);
      expect(res.json.error).toMatchObject({ code: 'quota', retryable: false });
      expect(res.json.error.message).toContain('more than the largest file');
    }
    expect(f.presigner.calls).toEqual([]);
  });

  it('refuses declared lengths beyond what S3 accepts (5 GiB per PUT or part, 5 TiB per object)', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const tooBig = [
      ['/v1/presign', { session: SESSION, file: 'a.bin', size: 5 * 1024 ** 3 + 1, checksum: sha(Buffer.alloc(1)) }],
      ['/v1/multipart/start', { session: SESSION, file: 'a.bin', size: 5 * 1024 ** 4 + 1 }],
      ['/v1/multipart/part', { session: SESSION, file: 'a.bin', uploadId: 'u', partNumber: 1, size: 5 * 1024 ** 3 + 1, checksum: crc(Buffer.alloc(1)) }],
      ['/v1/presign', { session: SESSION, file: 'a.bin', size: -1, checksum: sha(Buffer.alloc(1)) }],
      ['/v1/presign', { session: SESSION, file: 'a.bin', size: 1.5, checksum: sha(Buffer.alloc(1)) }],
    ] as const;
    for (const [path, body] of tooBig) expect((await f.call('POST', path, body, token)).status).toBe(400);
    expect(f.presigner.calls).toEqual([]);
  });

  it('charges the declared size at start and signs no part past it, so under-declaring a multipart upload does not get past the quota', async () => {
    // Before tickets each part URL was charged its size; now the start is charged what it
    // declares and the API signs only the parts of that declaration (multipart/ticket.ts), so
    // the quota still bounds every byte the URLs can carry.
    const f = await apiFixture({ bytesPerDay: 100 });
    const token = await f.login(f.keyA.apiKey);
    const start = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'big.bin', size: 1 }, token);
    expect(start.status).toBe(200);
    const part = (n: number, size: number) =>
      f.call(
        'POST',
        '/v1/multipart/part',
        { session: SESSION, file: 'big.bin', uploadId: start.json.uploadId, ticket: start.json.ticket, partNumber: n, size, checksum: crc(Buffer.alloc(1)) },
        token,
      );
    expect((await part(1, 60)).status).toBe(400);
    expect((await part(2, 1)).status).toBe(400);
    expect((await part(1, 1)).status).toBe(200);
    expect((await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'more.bin', size: 99 }, token)).status).toBe(200);
    const over = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'over.bin', size: 1 }, token);
    expect(over.status).toBe(429);
    expect(f.presigner.calls.filter((c) => c.op === 'presignPart')).toHaveLength(1);
  });

  it('stops a rig at its daily byte and file quotas, counts per rig, and starts again the next UTC day', async () => {
    // Prepare
    const f = await apiFixture({ bytesPerDay: 100, objectsPerDay: 3 });
    const a = await f.login(f.keyA.apiKey);
    const b = await f.login(f.keyB.apiKey);
    const presign = (token: string, file: string, size: number) =>
      f.call('POST', '/v1/presign', { session: SESSION, file, size, checksum: sha(Buffer.alloc(1)) }, token);
    // Act + Assess
    expect((await presign(a, 'a1.bin', 60)).status).toBe(200);
    const over = await presign(a, 'a2.bin', 41);
    expect(over.status).toBe(429);
    expect(over.json.error).toMatchObject({ code: 'quota', retryable: false });
    expect((await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'a3.bin', size: 41 }, a)).status).toBe(429);
    expect((await presign(a, 'a4.bin', 40)).status).toBe(200);
    expect((await presign(a, 'a5.bin', 0)).status).toBe(200);
    expect((await presign(a, 'a6.bin', 0)).json.error.code).toBe('quota');
    expect((await presign(b, 'b1.bin', 100)).status).toBe(200);
    expect(f.presigner.calls.map((c) => (c.input as { key: string }).key)).toEqual([
      `raw/rig-a/${SESSION}/a1.bin`,
      `raw/rig-a/${SESSION}/a4.bin`,
      `raw/rig-a/${SESSION}/a5.bin`,
      `raw/rig-b/${SESSION}/b1.bin`,
    ]);
    f.clock.advance(14 * 3600 * 1000);
    expect((await presign(await f.login(f.keyA.apiKey), 'a7.bin', 100)).status).toBe(200);
    expect(f.logger.entries.some((r) => r.event === 'api.quota.charged' && r.fields.rigBytesToday === 100 && r.fields.rig === 'rig-a')).toBe(true);
  });
});
