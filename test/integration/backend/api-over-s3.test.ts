/**
 * The API as the local stack runs it: router + loopback server + keys file + the real S3
 * gateway (s3rver behind the verifying gateway). Uploads go to the presigned URLs with fetch;
 * what the store holds is checked by hash, never by a 200.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { crc32c } from '@node-rs/crc32';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { main } from '../../../src/cli/main.js';
import { createApiRouter } from '../../../src/backend/http/router.js';
import { createRigKey } from '../../../src/backend/keys/enrol.js';
import { FileKeyStore, keysFilePath } from '../../../src/local/stores/file-key-store.js';
import { ensureLocalRigKey } from '../../../src/local/local-rig-key.js';
import { localApiDeps } from '../../../src/composition/api-deps.js';
import { startApiServer, type ApiServer } from '../../../src/local/api-server.js';
import { startS3Service, type S3Service } from '../../../src/local/s3/service.js';
import { localDir } from '../../../src/local/stack-info.js';
import { manifestFor } from '../../unit/backend/fixture.js';
import { tempDir } from '../../helpers/tmp.js';

const credentials = { accessKeyId: 'RPTESTKEY', secretAccessKey: 'test-secret-test-secret' };
const buckets = { raw: 'recpipe-raw', lake: 'recpipe-lake' };
const SESSION = '20210228_161221';
const sha = (b: Buffer) => createHash('sha256').update(b).digest();
const crc = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(b) >>> 0);
  return out.toString('base64');
};

let svc: S3Service;
let client: S3Client;
let raw: S3ObjectStore;
let api: ApiServer;
let home: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  home = tempDir('rp-api-s3-');
  svc = await startS3Service({ dataDir: join(home, 'local', 'data'), credentials, region: 'us-east-1', buckets, minPartSize: 1024 });
  client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials });
  raw = new S3ObjectStore(client, buckets.raw);
  const local = await ensureLocalRigKey(home, 'rig-a');
  keyA = readFileSync(local.path, 'utf8').trim();
  keyB = (await createRigKey(new FileKeyStore(keysFilePath(localDir(home))), 'rig-b', new Date())).apiKey;
  const router = createApiRouter(localApiDeps({ home, s3: client, rawBucket: buckets.raw, raw, logger: new MemoryLogger() }));
  api = await startApiServer(router);
});
afterAll(async () => {
  await api.close();
  client.destroy();
  await svc.close();
});

async function call(path: string, token?: string, body?: unknown) {
  const res = await fetch(api.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const login = async (apiKey: string) => (await call('/v1/auth', undefined, { apiKey })).json.token as string;
const put = (p: { url: string; headers: Record<string, string> }, body: Buffer) => fetch(p.url, { method: 'PUT', headers: p.headers, body });

describe('API over the local S3 gateway', () => {
  const meta = Buffer.from('fatigue: 3\nhardware_model: X\n');
  const big = Buffer.from(Array.from({ length: 2500 }, (_, i) => (i * 7) % 256));

  it('uploads a session (single PUT + multipart), commits, and the store holds the manifest', async () => {
    // Prepare
    const token = await login(keyA);
    // Act: single PUT
    const p = await call('/v1/presign', token, {
      session: SESSION,
      file: 'meta.txt',
      size: meta.length,
      checksum: { algorithm: 'SHA256', value: sha(meta).toString('base64') },
    });
    expect(p.status).toBe(200);
    expect((await put(p.json, meta)).status).toBe(200);
    // Act: multipart in 3 parts
    const start = await call('/v1/multipart/start', token, { session: SESSION, file: 'data.bin', size: big.length, partSize: 1024 });
    const parts = [];
    for (const [i, [a, b]] of [
      [0, 1024],
      [1024, 2048],
      [2048, 2500],
    ].entries()) {
      const body = big.subarray(a, b);
      const checksum = { algorithm: 'CRC32C', value: crc(body) };
      const u = await call('/v1/multipart/part', token, {
        session: SESSION,
        file: 'data.bin',
        uploadId: start.json.uploadId,
        ticket: start.json.ticket,
        partNumber: i + 1,
        size: body.length,
        checksum,
      });
      const res = await put(u.json, body);
      expect(res.status).toBe(200);
      parts.push({ partNumber: i + 1, etag: res.headers.get('etag'), checksum });
    }
    const done = await call('/v1/multipart/complete', token, { session: SESSION, file: 'data.bin', uploadId: start.json.uploadId, parts });
    const committed = await call('/v1/commit', token, { manifest: manifestFor('rig-a', SESSION, { 'meta.txt': meta, 'data.bin': big }) });
    // Assess
    expect(done.status).toBe(200);
    expect(sha(await raw.get(`raw/rig-a/${SESSION}/data.bin`))).toEqual(sha(big));
    expect(sha(await raw.get(`raw/rig-a/${SESSION}/meta.txt`))).toEqual(sha(meta));
    expect(committed.json).toMatchObject({ status: 'committed', key: `raw/rig-a/${SESSION}/_manifest.json` });
    const head = await raw.head(`raw/rig-a/${SESSION}/_manifest.json`);
    expect(head).toBeDefined();
    expect(sha(await raw.get(committed.json.key)).toString('hex')).toBe(committed.json.manifestSha256);
    const state = await call(`/v1/sessions/${SESSION}`, token);
    expect(state.json).toMatchObject({
      committed: true,
      objects: [
        { name: 'data.bin', size: big.length },
        { name: 'meta.txt', size: meta.length },
      ],
    });
  });

  it('re-committing is a no-op, a different manifest is a conflict, and nothing is overwritten', async () => {
    const token = await login(keyA);
    const before = await raw.get(`raw/rig-a/${SESSION}/_manifest.json`);
    const again = await call('/v1/commit', token, { manifest: manifestFor('rig-a', SESSION, { 'meta.txt': meta, 'data.bin': big }) });
    const other = await call('/v1/commit', token, { manifest: manifestFor('rig-a', SESSION, { 'meta.txt': meta, 'data.bin': Buffer.alloc(big.length) }) });
    const rePut = await call('/v1/presign', token, {
      session: SESSION,
      file: 'meta.txt',
      size: meta.length,
      checksum: { algorithm: 'SHA256', value: sha(meta).toString('base64') },
    });
    // Assess
    expect(again.json.status).toBe('already_committed');
    expect(other.status).toBe(409);
    expect(other.json.error.message).toContain('data.bin');
    // A committed session is closed: the API signs nothing more under it (test/security has the rest).
    expect(rePut.status).toBe(409);
    expect((await call('/v1/multipart/start', token, { session: SESSION, file: 'data.bin', size: 1024 })).status).toBe(409);
    // In an open session, a stored file cannot be overwritten by a re-PUT or a multipart complete.
    const OPEN = '20210228_161222';
    const first = await call('/v1/presign', token, {
      session: OPEN,
      file: 'data.bin',
      size: big.length,
      checksum: { algorithm: 'SHA256', value: sha(big).toString('base64') },
    });
    expect((await put(first.json, big)).status).toBe(200);
    const again2 = await call('/v1/presign', token, {
      session: OPEN,
      file: 'data.bin',
      size: big.length,
      checksum: { algorithm: 'SHA256', value: sha(big).toString('base64') },
    });
    expect((await put(again2.json, big)).status).toBe(412);
    const start = await call('/v1/multipart/start', token, { session: OPEN, file: 'data.bin', size: 1024 });
    const checksum = { algorithm: 'CRC32C', value: crc(Buffer.alloc(1024)) };
    const part = await call('/v1/multipart/part', token, {
      session: OPEN,
      file: 'data.bin',
      uploadId: start.json.uploadId,
      ticket: start.json.ticket,
      partNumber: 1,
      size: 1024,
      checksum,
    });
    const sent = await put(part.json, Buffer.alloc(1024));
    const overwrite = await call('/v1/multipart/complete', token, {
      session: OPEN,
      file: 'data.bin',
      uploadId: start.json.uploadId,
      parts: [{ partNumber: 1, etag: sent.headers.get('etag'), checksum }],
    });
    expect(overwrite.status).toBe(409);
    expect(sha(await raw.get(`raw/rig-a/${SESSION}/data.bin`))).toEqual(sha(big));
    expect(sha(await raw.get(`raw/rig-a/${OPEN}/data.bin`))).toEqual(sha(big));
    expect(await raw.get(`raw/rig-a/${SESSION}/_manifest.json`)).toEqual(before);
  });

  it('a wrong body or a URL changed towards another rig is rejected by the gateway', async () => {
    const token = await login(keyA);
    const body = Buffer.from('the real bytes');
    const p = await call('/v1/presign', token, {
      session: '20210301_120000',
      file: 'x.bin',
      size: body.length,
      checksum: { algorithm: 'SHA256', value: sha(body).toString('base64') },
    });
    const flipped = Buffer.from(body);
    flipped[0] ^= 1;
    expect((await put(p.json, flipped)).status).toBeGreaterThanOrEqual(400);
    const toRigB = { ...p.json, url: p.json.url.replace('/raw/rig-a/', '/raw/rig-b/') };
    expect((await put(toRigB, body)).status).toBe(403);
    expect(await raw.head('raw/rig-a/20210301_120000/x.bin')).toBeUndefined();
    expect(await raw.head('raw/rig-b/20210301_120000/x.bin')).toBeUndefined();
  });

  it("rig B cannot commit or see rig A's session, and hostile names are refused by the server", async () => {
    const tokenB = await login(keyB);
    const commitA = await call('/v1/commit', tokenB, { manifest: manifestFor('rig-a', SESSION, { 'meta.txt': meta, 'data.bin': big }) });
    const stateB = await call(`/v1/sessions/${SESSION}`, tokenB);
    const hostile = await call('/v1/presign', tokenB, {
      session: SESSION,
      file: '../../rig-a/20210228_161221/meta.txt',
      size: 1,
      checksum: { algorithm: 'SHA256', value: sha(Buffer.from('x')).toString('base64') },
    });
    expect(commitA.status).toBe(403);
    expect(stateB.json).toEqual({ session: SESSION, rig: 'rig-b', committed: false, objects: [] });
    expect(hostile.status).toBe(400);
    expect(hostile.json.error.message).toContain('path separator');
  });

  it('`recpipe keys revoke` takes effect on the running API at the next call', async () => {
    // Prepare
    const tokenB = await login(keyB);
    expect((await call(`/v1/sessions/${SESSION}`, tokenB)).status).toBe(200);
    const id = keyB.split('_')[1];
    // Act
    const code = await main(['keys', 'revoke', id], { stdout: new PassThrough(), stderr: new PassThrough(), env: { RECPIPE_HOME: home }, isTTY: false });
    // Assess
    expect(code).toBe(0);
    expect((await call(`/v1/sessions/${SESSION}`, tokenB)).json.error).toMatchObject({ code: 'auth', message: 'api key revoked' });
    expect((await call('/v1/auth', undefined, { apiKey: keyB })).status).toBe(401);
  });
});
