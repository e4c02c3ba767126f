import { apiFixture, sha256b64 } from './fixture.js';

// Lone UTF-16 surrogates: valid JSON, but no key or URL can carry them (a fuzzed one got a 500).
const HOSTILE = ['../x', 'a/b', 'a\\b', 'x\u0000', 'y'.repeat(300), '..', '.', '', '_manifest.json', 'tab\tname', 'lone\udaf3high', '\udc00low-first'];
const SESSION = '20210228_161221';
const crc = 'AAAAAA==';

describe('handlers re-validate names on the server', () => {
  it('refuse hostile file names on every route that takes one, with the reason', async () => {
    // Prepare
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const bodies = (file: string): [string, unknown][] => [
      ['/v1/presign', { session: SESSION, file, size: 1, checksum: { algorithm: 'SHA256', value: sha256b64('x') } }],
      ['/v1/multipart/start', { session: SESSION, file, size: 10 }],
      ['/v1/multipart/part', { session: SESSION, file, uploadId: 'u', partNumber: 1, size: 1, checksum: { algorithm: 'CRC32C', value: crc } }],
      [
        '/v1/multipart/complete',
        { session: SESSION, file, uploadId: 'u', parts: [{ partNumber: 1, etag: '"e"', checksum: { algorithm: 'CRC32C', value: crc } }] },
      ],
    ];
    for (const name of HOSTILE) {
      for (const [path, body] of bodies(name)) {
        // Act
        const res = await f.call('POST', path, body, token);
        // Assess
        expect({ name, path, status: res.status }).toEqual({ name, path, status: 400 });
        expect(res.json.error.message).toMatch(/invalid (file name|request: file)/);
      }
    }
    expect(f.presigner.calls).toEqual([]);
    expect(f.raw.keys()).toEqual([]);
  });

  it('refuse invalid session names, including impossible dates', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    for (const session of ['20210229_161221', '../20210228_161221', '20210228_161221/..', '2021-02-28', '20211301_000000', '20210228_246000']) {
      const res = await f.call('POST', '/v1/presign', { session, file: 'a.bin', size: 1, checksum: { algorithm: 'SHA256', value: sha256b64('x') } }, token);
      expect({ session, status: res.status, code: res.json.error.code }).toEqual({ session, status: 400, code: 'invalid_name' });
    }
    const encoded = await f.call('GET', `/v1/sessions/${encodeURIComponent('../rig-b')}`, undefined, token);
    expect(encoded.status).toBe(400);
  });

  it("build every key from the token's rig: rig A can never get a URL for rig B", async () => {
    // Prepare
    const f = await apiFixture();
    const tokenA = await f.login(f.keyA.apiKey);
    // Act: extra fields naming another rig or key are ignored
    const res = await f.call(
      'POST',
      '/v1/presign',
      { session: SESSION, file: 'a.bin', size: 1, rig: 'rig-b', key: 'raw/rig-b/x', checksum: { algorithm: 'SHA256', value: sha256b64('x') } },
      tokenA,
    );
    const start = await f.call('POST', '/v1/multipart/start', { session: SESSION, file: 'big.bin', size: 10, rig: 'rig-b' }, tokenA);
    // Assess
    expect(res.json.key).toBe(`raw/rig-a/${SESSION}/a.bin`);
    expect(start.json.key).toBe(`raw/rig-a/${SESSION}/big.bin`);
  });

  it('refuse malformed sizes and checksums', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const base = { session: SESSION, file: 'a.bin', size: 1, checksum: { algorithm: 'SHA256', value: sha256b64('x') } };
    for (const patch of [
      { size: -1 },
      { size: 1.5 },
      { size: '1' },
      { size: 6 * 1024 ** 3 },
      { checksum: { algorithm: 'MD5', value: 'x' } },
      { checksum: { algorithm: 'SHA256', value: 'AAAAAA==' } },
      { checksum: undefined },
    ]) {
      const res = await f.call('POST', '/v1/presign', { ...base, ...patch }, token);
      expect({ patch, status: res.status }).toEqual({ patch, status: 400 });
    }
    const sha256Part = await f.call(
      'POST',
      '/v1/multipart/part',
      { session: SESSION, file: 'a.bin', uploadId: 'u', partNumber: 1, size: 1, checksum: base.checksum },
      token,
    );
    expect(sha256Part.status).toBe(400);
  });
});
