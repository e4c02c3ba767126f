/**
 * The attack suite against the embedded stack (API on loopback, verifying S3 gateway, s3rver):
 * each attack is refused and the raw bucket holds afterwards exactly what it held before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRigKey } from '../../src/backend/keys/enrol.js';
import { FileKeyStore, keysFilePath } from '../../src/local/stores/file-key-store.js';
import { LOCAL_RIG, localDir, localRigKeyPath } from '../../src/local/stack-info.js';
import { manifestFor } from '../unit/backend/fixture.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SESSION = '20210228_161221';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(64, 7) };

let stack: TestStack;
let keyA: string;
let keyB: string;
beforeAll(async () => {
  stack = await startTestStack({ quota: { bytesPerDay: 10_000, objectsPerDay: 50, maxFileBytes: 4096 } });
  keyA = readFileSync(localRigKeyPath(stack.home), 'utf8').trim();
  keyB = (await createRigKey(new FileKeyStore(keysFilePath(localDir(stack.home))), 'rig-b', new Date())).apiKey;
});
afterAll(async () => {
  await stack.stop();
  rmSync(stack.home, { recursive: true, force: true });
});

async function call(path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(stack.info.api + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const login = async (apiKey: string) => (await call('/v1/auth', undefined, { apiKey })).json.token as string;
const put = (p: { url: string; headers: Record<string, string> }, body: Buffer, extra: Record<string, string> = {}) =>
  fetch(p.url, { method: 'PUT', headers: { ...p.headers, ...extra }, body });
const rawKeys = async () => (await stack.raw.list('raw/')).map((o) => `${o.key}:${o.size}`).sort();

async function uploadAndCommit(token: string, session: string) {
  const urls: Record<string, { url: string; headers: Record<string, string> }> = {};
  for (const [name, body] of Object.entries(files)) {
    urls[name] = (await call('/v1/presign', token, { session, file: name, size: body.length, checksum: { algorithm: 'SHA256', value: sha(body) } })).json;
    expect((await put(urls[name], body)).status).toBe(200);
  }
  expect((await call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files) })).status).toBe(200);
  return urls;
}

describe('attacks on the embedded stack', () => {
  it('a committed session takes no new file, and a replayed URL cannot overwrite a committed one', async () => {
    const token = await login(keyA);
    const urls = await uploadAndCommit(token, SESSION);
    const before = await rawKeys();
    const body = Buffer.alloc(16, 1);
    const presign = await call('/v1/presign', token, { session: SESSION, file: 'late.bin', size: 16, checksum: { algorithm: 'SHA256', value: sha(body) } });
    const start = await call('/v1/multipart/start', token, { session: SESSION, file: 'late.bin', size: 16 });
    const replay = await put(urls['data.bin'], files['data.bin']);
    expect([presign.status, start.status]).toEqual([409, 409]);
    expect(replay.status).toBe(412);
    expect(await rawKeys()).toEqual(before);
  });

  it('junk, forged and cross-rig credentials are refused and write nothing', async () => {
    const before = await rawKeys();
    const body = { session: '20210301_100000', file: 'x.bin', size: 1, checksum: { algorithm: 'SHA256', value: sha(Buffer.alloc(1)) } };
    for (const token of ['x', `rpt1.${'a'.repeat(40)}.${'b'.repeat(43)}`]) expect((await call('/v1/presign', token, body)).status).toBe(401);
    expect((await call('/v1/auth', undefined, { apiKey: 'rpk_nope' })).status).toBe(401);
    const tokenB = await login(keyB);
    expect((await call('/v1/commit', tokenB, { manifest: manifestFor(LOCAL_RIG, SESSION, files) })).status).toBe(403);
    const state = await call(`/v1/sessions/${SESSION}`, tokenB);
    expect(state.json).toMatchObject({ rig: 'rig-b', committed: false, objects: [] });
    expect(await rawKeys()).toEqual(before);
  });

  it('path traversal in file or session names is refused before anything is signed', async () => {
    const token = await login(keyA);
    const before = await rawKeys();
    for (const [session, file] of [
      [SESSION, '../20210228_161222/x.bin'],
      [SESSION, '..'],
      [SESSION, 'a/b'],
      ['../rig-b', 'x.bin'],
      [SESSION, '_manifest.json'],
      [SESSION, 'e\u0301.bin'],
    ]) {
      const res = await call('/v1/presign', token, { session, file, size: 1, checksum: { algorithm: 'SHA256', value: sha(Buffer.alloc(1)) } });
      expect(res.status).toBe(400);
    }
    expect((await fetch(`${stack.info.api}/v1/sessions/..%2F..%2Fraw`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    expect(await rawKeys()).toEqual(before);
  });

  it('a URL cannot carry more bytes than it declared, other bytes, or be re-pointed at another key', async () => {
    const token = await login(keyA);
    const before = await rawKeys();
    const body = Buffer.alloc(32, 3);
    const p = (await call('/v1/presign', token, { session: '20210301_110000', file: 'd.bin', size: 32, checksum: { algorithm: 'SHA256', value: sha(body) } }))
      .json;
    expect((await put(p, Buffer.alloc(33, 3), { 'content-length': '33' })).status).toBeGreaterThanOrEqual(400);
    expect((await put(p, Buffer.alloc(32, 4))).status).toBeGreaterThanOrEqual(400);
    const elsewhere = { ...p, url: p.url.replace(`/raw/${LOCAL_RIG}/`, '/raw/rig-b/') };
    expect((await put(elsewhere, body)).status).toBe(403);
    expect(await rawKeys()).toEqual(before);
  });

  it('an oversized request body is refused without being read, and commits nothing', async () => {
    const token = await login(keyA);
    const before = await rawKeys();
    const manifest = manifestFor(LOCAL_RIG, '20210303_100000', files);
    manifest.variables.text.padding = 'x'.repeat(2 * 1024 * 1024);
    const res = await call('/v1/commit', token, { manifest });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('larger than');
    expect(await rawKeys()).toEqual(before);
  });

  it('the per-rig quota and the largest file hold on the stack, with nothing written past them', async () => {
    const token = await login(keyA);
    const before = await rawKeys();
    const big = await call('/v1/multipart/start', token, { session: '20210302_100000', file: 'huge.bin', size: 4097 });
    expect(big.status).toBe(429);
    expect(big.json.error).toMatchObject({ code: 'quota', retryable: false });
    let refused;
    for (let i = 0; i < 5 && !refused; i++) {
      const res = await call('/v1/presign', token, {
        session: '20210302_100000',
        file: `f${i}.bin`,
        size: 4000,
        checksum: { algorithm: 'SHA256', value: sha(Buffer.alloc(4000)) },
      });
      if (res.status === 429) refused = res;
    }
    expect(refused?.json.error.message).toContain('daily upload quota');
    expect(await rawKeys()).toEqual(before);
  });
});
