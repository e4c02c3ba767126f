/**
 * Attacks on the store side with a valid rig key, against the real embedded stack (API on
 * loopback, verifying S3 gateway, s3rver): upload ids re-pointed at other keys or rigs, a part
 * listed many times, a file name the store cannot keep. Each is refused, and the raw bucket holds
 * afterwards exactly what it held before (issue 26, items 1-3).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { S3Presigner } from '../../src/adapters/s3/presigner.js';
import { systemClock } from '../../src/adapters/system/clock.js';
import type { Checksum } from '../../src/core/api.js';
import { createRigKey } from '../../src/backend/keys/enrol.js';
import { FileKeyStore, keysFilePath } from '../../src/local/stores/file-key-store.js';
import { LOCAL_RIG, localDir, localRigKeyPath } from '../../src/local/stack-info.js';
import { crc32cBase64 } from '../../src/local/s3/spool.js';
import { manifestFor } from '../unit/backend/fixture.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { tempDir } from '../helpers/tmp.js';

const MiB = 1024 * 1024;
const quota = { bytesPerDay: 64 * MiB, objectsPerDay: 200, maxFileBytes: 8 * MiB };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const crc = (b: Buffer): Checksum => ({ algorithm: 'CRC32C', value: crc32cBase64(crc32c(b)) });
const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(64, 7) };
type Signed = { url: string; method?: string; headers: Record<string, string>; body?: string };

let home: string;
let stack: TestStack;
let keyA: string;
let keyB: string;
beforeAll(async () => {
  home = tempDir('rp-store-attacks-');
  stack = await startTestStack({ home, quota });
  keyA = readFileSync(localRigKeyPath(home), 'utf8').trim();
  keyB = (await createRigKey(new FileKeyStore(keysFilePath(localDir(home))), 'rig-b', new Date())).apiKey;
});
afterAll(async () => {
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
});

async function call(path: string, token: string | undefined, body: unknown) {
  const res = await fetch(stack.info.api + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const login = async (apiKey: string) => (await call('/v1/auth', undefined, { apiKey })).json.token as string;
const send = (s: Signed, body: Buffer | string | undefined = s.body) => fetch(s.url, { method: s.method ?? 'PUT', headers: s.headers, body });
const rawKeys = async () => (await stack.raw.list('raw/')).map((o) => `${o.key}:${o.size}:${o.etag}`).sort();
const codeOf = async (res: Response) => `${res.status} ${/<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1] ?? ''}`;

/** Starts a multipart upload of `file` and sends its part 1 (`body`); returns the id, its ticket and the part's ETag. */
async function startWithPart(token: string, session: string, file: string, body: Buffer, attempt?: string) {
  const start = await call('/v1/multipart/start', token, { session, file, size: body.length, attempt });
  expect(start.status).toBe(200);
  const { uploadId, ticket } = start.json as { uploadId: string; ticket: string };
  const part = await call('/v1/multipart/part', token, { session, file, attempt, uploadId, ticket, partNumber: 1, size: body.length, checksum: crc(body) });
  const res = await send(part.json, body);
  expect(res.status).toBe(200);
  return { uploadId, ticket, etag: res.headers.get('etag')! };
}

/**
 * Signs with the store's own credentials, as the API role does: what an API that signed any part
 * or completion it was asked for (before upload tickets, issue 30) would have handed the rig.
 * The store must refuse these by itself (S3 binds an upload id to its key).
 */
function storeSigner(): { presigner: S3Presigner; close(): void } {
  const client = createS3Client({ region: 'us-east-1', endpoint: stack.info.s3, credentials: stack.info.credentials, maxAttempts: 1 });
  return { presigner: new S3Presigner(client, stack.info.buckets.raw, systemClock), close: () => client.destroy() };
}

/** Sends every file of `files` with a single PUT each, then commits the session. */
async function uploadAndCommit(token: string, session: string) {
  for (const [file, body] of Object.entries(files)) {
    const p = await call('/v1/presign', token, { session, file, size: body.length, checksum: { algorithm: 'SHA256', value: sha(body) } });
    expect((await send(p.json, body)).status).toBe(200);
  }
  expect((await call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files) })).status).toBe(200);
}

/** The presigned completion the API hands out for `parts` of the upload. */
async function completion(
  token: string,
  session: string,
  file: string,
  uploadId: string,
  parts: { partNumber: number; etag: string; body: Buffer }[],
  attempt?: string,
) {
  const listed = parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag, checksum: crc(p.body) }));
  const res = await call('/v1/multipart/complete', token, { session, file, attempt, uploadId, parts: listed, presigned: true });
  expect(res.json).toMatchObject({ status: 'pending' });
  return res.json.request as Signed;
}

describe('store attacks with a valid rig key', () => {
  it('an upload id started for data.bin cannot write parts to, or complete, an attempt key after the session is committed', async () => {
    // Prepare: a multipart upload of data.bin with attacker bytes as its part, then a commit of data.bin by PUT
    const session = '20210401_100000';
    const token = await login(keyA);
    const evil = Buffer.alloc(66, 0x66);
    const { uploadId, ticket, etag } = await startWithPart(token, session, 'data.bin', evil);
    await uploadAndCommit(token, session);
    const before = await rawKeys();
    const attemptKey = `raw/${LOCAL_RIG}/${session}/_attempts/evil01/data.bin`;
    const signer = storeSigner();
    // Act: through the API (the ticket names data.bin), then straight at the store with URLs signed for the attempt key
    const part = await call('/v1/multipart/part', token, {
      session,
      file: 'data.bin',
      attempt: 'evil01',
      uploadId,
      ticket,
      partNumber: 2,
      size: 66,
      checksum: crc(evil),
    });
    const partRes = await send(
      await signer.presigner.presignPart({ key: attemptKey, uploadId, partNumber: 2, size: 66, checksum: crc(evil), expiresInSec: 300 }),
      evil,
    );
    const viaAttempt = await send(
      await signer.presigner.presignComplete({ key: attemptKey, uploadId, parts: [{ partNumber: 1, etag, checksum: crc(evil) }], expiresInSec: 300 }),
    );
    signer.close();
    const ontoCommitted = await call('/v1/multipart/complete', token, {
      session,
      file: 'data.bin',
      uploadId,
      parts: [{ partNumber: 1, etag, checksum: crc(evil) }],
      presigned: true,
    });
    // Assess
    expect([part.status, part.json.error.code]).toEqual([403, 'forbidden']);
    expect(await codeOf(partRes)).toBe('404 NoSuchUpload');
    expect(await codeOf(viaAttempt)).toBe('404 NoSuchUpload');
    expect(ontoCommitted.json.error).toMatchObject({ code: 'conflict', retryable: false });
    expect(await stack.raw.get(`raw/${LOCAL_RIG}/${session}/data.bin`)).toEqual(files['data.bin']);
    expect(await rawKeys()).toEqual(before);
  });

  it("another rig's upload id cannot take parts or a completion for this rig's key, and stays intact for its owner", async () => {
    // Prepare: rig B has an open upload with one part
    const [tokenA, tokenB] = [await login(keyA), await login(keyB)];
    const session = '20210402_100000';
    const theirs = Buffer.alloc(32, 0xbb);
    const b = await startWithPart(tokenB, session, 'data.bin', theirs);
    const before = await rawKeys();
    // Act
    const mine = `raw/${LOCAL_RIG}/${session}/data.bin`;
    const signer = storeSigner();
    // Through the API with rig B's ticket (tickets name their rig's key), then at the store with URLs for rig A's key
    const part = await call('/v1/multipart/part', tokenA, {
      session,
      file: 'data.bin',
      uploadId: b.uploadId,
      ticket: b.ticket,
      partNumber: 1,
      size: 32,
      checksum: crc(theirs),
    });
    const partRes = await send(
      await signer.presigner.presignPart({ key: mine, uploadId: b.uploadId, partNumber: 1, size: 32, checksum: crc(theirs), expiresInSec: 300 }),
      theirs,
    );
    const complete = await send(
      await signer.presigner.presignComplete({
        key: mine,
        uploadId: b.uploadId,
        parts: [{ partNumber: 1, etag: b.etag, checksum: crc(theirs) }],
        expiresInSec: 300,
      }),
    );
    signer.close();
    const afterAttack = await rawKeys();
    const owner = await send(await completion(tokenB, session, 'data.bin', b.uploadId, [{ partNumber: 1, etag: b.etag, body: theirs }]));
    // Assess
    expect([part.status, part.json.error.code]).toEqual([403, 'forbidden']);
    expect(await codeOf(partRes)).toBe('404 NoSuchUpload');
    expect(await codeOf(complete)).toBe('404 NoSuchUpload');
    expect(afterAttack).toEqual(before);
    expect(owner.status).toBe(200);
    expect(await stack.raw.get(`raw/rig-b/${session}/data.bin`)).toEqual(theirs);
  });

  it('one 5 MiB part listed 40 times is refused (InvalidPartOrder); the same upload completes honestly to 5 MiB', async () => {
    // Prepare
    const token = await login(keyA);
    const session = '20210403_100000';
    const body = Buffer.alloc(5 * MiB, 0x35);
    const { uploadId, etag } = await startWithPart(token, session, 'big.bin', body);
    const request = await completion(token, session, 'big.bin', uploadId, [{ partNumber: 1, etag, body }]);
    const one = /<Part>[\s\S]*?<\/Part>/.exec(request.body!)![0];
    const forty = request.body!.replace(one, one.repeat(40));
    const before = await rawKeys();
    // Act
    // The completion's length is not signed: the attacker sends the longer body with its own length.
    const { 'content-length': _length, ...headers } = request.headers;
    const attack = await send({ ...request, headers }, forty);
    const afterAttack = await rawKeys();
    const honest = await send(request);
    // Assess
    expect(await codeOf(attack)).toBe('400 InvalidPartOrder');
    expect(afterAttack).toEqual(before);
    expect(honest.status).toBe(200);
    expect((await stack.raw.head(`raw/${LOCAL_RIG}/${session}/big.bin`))?.size).toBe(5 * MiB);
  });

  it('a 240-byte file name is refused with a clear 400 by the API and by the store itself, and listing raw/ works, also after a restart', async () => {
    // Prepare
    const token = await login(keyA);
    const session = '20210404_100000';
    const name = 'x'.repeat(236) + '.bin';
    const body = Buffer.from('long name');
    const key = `raw/${LOCAL_RIG}/${session}/${name}`;
    const before = await rawKeys();
    // Act
    const api = await call('/v1/presign', token, { session, file: name, size: body.length, checksum: { algorithm: 'SHA256', value: sha(body) } });
    const store = stack.raw.put(key, body);
    await expect(store).rejects.toThrow(/at most 233 bytes \(this one has 240\)/);
    const listed = await rawKeys();
    // ... and what the old gateway left behind (data without metadata) is cleared at the next start
    await stack.stop();
    const folder = join(localDir(home), 's3', 's3rver', stack.info.buckets.raw, 'raw', LOCAL_RIG, session);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}._S3rver_object`), 'orphan');
    stack = await startTestStack({ home, quota });
    // Assess
    expect(api.status).toBe(400);
    expect(api.json.error.message).toMatch(/240 bytes long, over the 233-byte limit/);
    expect(listed).toEqual(before);
    expect(stack.s3.cleanup.orphanObjects).toBe(1);
    expect(await rawKeys()).toEqual(before);
  });
});
