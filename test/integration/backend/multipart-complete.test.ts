/**
 * Completing a multipart upload through the API over the real gateway: idempotent (a retry
 * after a success is a success), presigned (the client completes against the store itself),
 * and an unknown upload id is a 404 the client must not retry.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { crc32c } from '@node-rs/crc32';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { createS3Client } from '../../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../../src/adapters/s3/object-store.js';
import { createApiRouter } from '../../../src/backend/http/router.js';
import { ensureLocalRigKey } from '../../../src/local/local-rig-key.js';
import { localApiDeps } from '../../../src/composition/api-deps.js';
import { startApiServer, type ApiServer } from '../../../src/local/api-server.js';
import { startS3Service, type S3Service } from '../../../src/local/s3/service.js';
import { PutTransport } from '../../../src/features/ingest/put-transport.js';
import { tempDir } from '../../helpers/tmp.js';

const credentials = { accessKeyId: 'RPCOMPLETE', secretAccessKey: 'complete-secret-complete' };
const buckets = { raw: 'complete-raw', lake: 'complete-lake' };
const SESSION = '20210305_101010';
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
let token: string;
const transport = new PutTransport();

beforeAll(async () => {
  home = tempDir('rp-complete-');
  svc = await startS3Service({ dataDir: join(home, 'data'), credentials, region: 'us-east-1', buckets, minPartSize: 1024 });
  client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials });
  raw = new S3ObjectStore(client, buckets.raw);
  const local = await ensureLocalRigKey(home, 'rig-a');
  api = await startApiServer(createApiRouter(localApiDeps({ home, s3: client, rawBucket: buckets.raw, raw, logger: new MemoryLogger() })));
  token = (await call('/v1/auth', undefined, { apiKey: readFileSync(local.path, 'utf8').trim() })).json.token;
});
afterEach(() => svc.faults.clear());
afterAll(async () => {
  transport.close();
  await api.close();
  client.destroy();
  await svc.close();
  rmSync(home, { recursive: true, force: true });
});

async function call(path: string, auth?: string, body?: unknown) {
  const res = await fetch(api.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Starts an upload of `file` and sends `bodies` as its parts; returns what completing needs. */
async function uploadParts(file: string, bodies: Buffer[]) {
  const start = await call('/v1/multipart/start', token, {
    session: SESSION,
    file,
    size: bodies.reduce((n, b) => n + b.length, 0),
    partSize: bodies[0].length,
  });
  const parts = [];
  for (const [i, body] of bodies.entries()) {
    const checksum = { algorithm: 'CRC32C', value: crc(body) };
    const u = await call('/v1/multipart/part', token, {
      session: SESSION,
      file,
      uploadId: start.json.uploadId,
      ticket: start.json.ticket,
      partNumber: i + 1,
      size: body.length,
      checksum,
    });
    const { etag } = await transport.put(u.json, { buffer: body });
    parts.push({ partNumber: i + 1, etag, checksum });
  }
  return { session: SESSION, file, uploadId: start.json.uploadId as string, parts };
}

describe('POST /v1/multipart/complete over the gateway', () => {
  it('answers completed again when a retry finds the object stored as these parts', async () => {
    // Prepare
    const bodies = [Buffer.alloc(1500, 1), Buffer.alloc(20, 2)];
    const req = await uploadParts('retried.bin', bodies);
    // Act
    const first = await call('/v1/multipart/complete', token, req);
    const retry = await call('/v1/multipart/complete', token, req);
    // Assess
    expect(first).toMatchObject({ status: 200, json: { status: 'completed' } });
    expect(retry).toMatchObject({ status: 200, json: { status: 'completed', key: `raw/rig-a/${SESSION}/retried.bin` } });
    expect(await raw.get(`raw/rig-a/${SESSION}/retried.bin`)).toEqual(Buffer.concat(bodies));
  });

  it('hands out a presigned completion; a lost answer and its retry still end completed', async () => {
    // Prepare: the store completes, then the connection drops before the answer
    const bodies = [Buffer.alloc(1100, 3), Buffer.alloc(7, 4)];
    const req = { ...(await uploadParts('presigned.bin', bodies)), presigned: true };
    svc.faults.add({ match: { operation: 'CompleteMultipartUpload' }, action: { type: 'drop-response' }, times: 1 });
    // Act
    const pending = await call('/v1/multipart/complete', token, req);
    const lost = await transport.complete(pending.json.request).then(
      () => 'answered',
      (e: { code?: string }) => e.code,
    );
    const resend = await transport.complete(pending.json.request).then(
      () => 'answered',
      (e: { code?: string }) => e.code,
    );
    const again = await call('/v1/multipart/complete', token, req);
    // Assess
    expect(pending.json).toMatchObject({ status: 'pending', request: { method: 'POST' } });
    expect(lost).toBe('unavailable');
    expect(resend).toBe('not_found');
    expect(again.json).toMatchObject({ status: 'completed' });
    expect(await raw.get(`raw/rig-a/${SESSION}/presigned.bin`)).toEqual(Buffer.concat(bodies));
  });

  it('refuses other parts onto a stored object with a conflict', async () => {
    const req = await uploadParts('other.bin', [Buffer.alloc(30, 5)]);
    await call('/v1/multipart/complete', token, req);
    const other = await uploadParts('other.bin', [Buffer.alloc(30, 6)]);
    const res = await call('/v1/multipart/complete', token, other);
    expect(res.status).toBe(409);
    expect(await raw.get(`raw/rig-a/${SESSION}/other.bin`)).toEqual(Buffer.alloc(30, 5));
  });

  it('answers an unknown or malformed upload id 404, not retryable', async () => {
    const part = { partNumber: 1, etag: '"0123"', checksum: { algorithm: 'CRC32C', value: crc(Buffer.alloc(1)) } };
    for (const uploadId of ['no-such-upload', '../../etc', '%zz']) {
      const res = await call('/v1/multipart/complete', token, { session: SESSION, file: 'unknown.bin', uploadId, parts: [part] });
      expect(res).toMatchObject({ status: 404, json: { error: { code: 'not_found', retryable: false } } });
    }
  });
});
