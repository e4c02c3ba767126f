import { checksumOf } from '../../../src/adapters/memory/presigner.js';
import { apiFixture, sha256b64 } from './fixture.js';

const SESSION = '20210228_161221';

describe('upload handlers', () => {
  it('presign binds length, checksum and no-overwrite, for the configured lifetime', async () => {
    // Prepare
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const body = Buffer.from('hello');
    // Act
    const res = await f.call(
      'POST',
      '/v1/presign',
      { session: SESSION, file: 'a.bin', size: 5, checksum: { algorithm: 'SHA256', value: sha256b64(body) } },
      token,
    );
    // Assess
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      url: expect.any(String),
      method: 'PUT',
      key: `raw/rig-a/${SESSION}/a.bin`,
      expiresAt: '2026-03-01T10:15:00.000Z',
      headers: { 'content-length': '5', 'x-amz-checksum-sha256': sha256b64(body), 'if-none-match': '*' },
    });
    await f.presigner.send(res.json, body);
    await expect(f.presigner.send(res.json, Buffer.from('hellO'))).rejects.toMatchObject({ code: 'integrity' });
    expect((await f.raw.get(res.json.key)).toString()).toBe('hello');
  });

  it('runs a multipart upload: start, part URLs bound to each part, complete', async () => {
    // Prepare
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const parts = [Buffer.alloc(7, 1), Buffer.alloc(3, 2)];
    // Act
    const start = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'big.bin', size: 10, partSize: 7 }, token);
    const done = [];
    for (const [i, part] of parts.entries()) {
      const checksum = { algorithm: 'CRC32C', value: checksumOf(part, 'CRC32C') };
      const url = await f.call(
        'POST',
        '/v1/multipart/part',
        { session: SESSION, file: 'big.bin', uploadId: start.json.uploadId, ticket: start.json.ticket, partNumber: i + 1, size: part.length, checksum },
        token,
      );
      expect(url.json.headers).toEqual({ 'content-length': String(part.length), 'x-amz-checksum-crc32c': checksum.value });
      done.push({ partNumber: i + 1, etag: await f.presigner.send(url.json, part), checksum });
    }
    const complete = await f.call('POST', '/v1/multipart/complete', { session: SESSION, file: 'big.bin', uploadId: start.json.uploadId, parts: done }, token);
    const state = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, token);
    // Assess
    expect(start.json.key).toBe(`raw/rig-a/${SESSION}/big.bin`);
    expect(complete.status).toBe(200);
    expect(complete.json.key).toBe(`raw/rig-a/${SESSION}/big.bin`);
    expect(state.json.objects).toEqual([{ name: 'big.bin', size: 10 }]);
    expect(f.presigner.calls.find((c) => c.op === 'completeMultipart')?.input).toMatchObject({ parts: done });
  });

  it('refuses out-of-order or duplicate parts in complete', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const p = (n: number) => ({ partNumber: n, etag: '"e"', checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } });
    for (const parts of [[p(2), p(1)], [p(1), p(1)], []]) {
      const res = await f.call('POST', '/v1/multipart/complete', { session: SESSION, file: 'big.bin', uploadId: 'u', parts }, token);
      expect(res.status).toBe(400);
    }
  });

  it("session state lists only this rig's objects under the session", async () => {
    const f = await apiFixture();
    await f.raw.put(`raw/rig-a/${SESSION}/a.bin`, 'aaa');
    await f.raw.put(`raw/rig-b/${SESSION}/b.bin`, 'bbbb');
    await f.raw.put(`raw/rig-a/20210228_161222/c.bin`, 'c');
    const a = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, await f.login(f.keyA.apiKey));
    const b = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, await f.login(f.keyB.apiKey));
    expect(a.json).toEqual({ session: SESSION, rig: 'rig-a', committed: false, objects: [{ name: 'a.bin', size: 3 }] });
    expect(b.json.objects).toEqual([{ name: 'b.bin', size: 4 }]);
  });

  it('an expired token gets 401 token_expired, and a new token works', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    f.clock.advance(15 * 60 * 1000);
    const res = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, token);
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: 'token_expired', retryable: true });
    const again = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, await f.login(f.keyA.apiKey));
    expect(again.status).toBe(200);
  });
});
