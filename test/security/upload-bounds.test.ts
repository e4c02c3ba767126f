/**
 * Issue 26 (items 2, 6 and 9) against the embedded stack's real API and gateway: the bytes the
 * API signs for an upload never exceed what it declared (each part's length signed, part numbers
 * bounded by the declared size and part size, in the per-part route and in batches); every route
 * that writes checks that the session is open, completion included; the presigned completion is
 * conditional, so a stored key cannot be replaced. Each attack leaves the raw bucket as it was.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { crc32c } from '@node-rs/crc32';
import { completeMultipartXml } from '../../src/core/ingest/complete-xml.js';
import { createRigKey } from '../../src/backend/keys/enrol.js';
import { FileKeyStore, keysFilePath } from '../../src/local/stores/file-key-store.js';
import { LOCAL_RIG, localDir, localRigKeyPath } from '../../src/local/stack-info.js';
import { manifestFor } from '../unit/backend/fixture.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const MiB = 1024 * 1024;
const crc = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(b) >>> 0);
  return { algorithm: 'CRC32C', value: out.toString('base64') };
};
const sha = (b: Buffer) => ({ algorithm: 'SHA256', value: createHash('sha256').update(b).digest('base64') });

let stack: TestStack;
let keyA: string;
let keyB: string;
/** How far the store's clock runs ahead of the wall clock (the API signs on the wall clock). */
let skew = 0;
beforeAll(async () => {
  stack = await startTestStack({ storeNow: () => Date.now() + skew });
  keyA = readFileSync(localRigKeyPath(stack.home), 'utf8').trim();
  keyB = (await createRigKey(new FileKeyStore(keysFilePath(localDir(stack.home))), 'rig-b', new Date())).apiKey;
});
afterAll(async () => {
  await stack.stop();
  rmSync(stack.home, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
async function call(path: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(stack.info.api + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
const login = async (apiKey: string) => (await call('/v1/auth', undefined, { apiKey })).json.token as string;
const send = (p: { url: string; method?: string; headers: Record<string, string> }, body: Buffer | string, extra: Record<string, string> = {}) =>
  fetch(p.url, { method: p.method ?? 'PUT', headers: { ...p.headers, ...extra }, body });
const batch = (token: string, session: string, files: unknown[]) => call('/v1/uploads/batch', token, { session, files });
const rawKeys = async () => (await stack.raw.list('raw/')).map((o) => `${o.key}:${o.size}`).sort();

describe('upload bounds on the embedded stack', () => {
  it('declared 1 byte, then a 4 MiB part: refused by the API, and the URL it signs carries exactly 1 byte', async () => {
    const token = await login(keyA);
    const before = await rawKeys();
    const big = Buffer.alloc(4 * MiB, 9);
    const start = await call('/v1/multipart/start', token, { session: '20210401_100000', file: 'x.bin', size: 1 });
    const perPart = await call('/v1/multipart/part', token, {
      session: '20210401_100000',
      file: 'x.bin',
      uploadId: start.json.uploadId,
      ticket: start.json.ticket,
      partNumber: 1,
      size: big.length,
      checksum: crc(big),
    });
    expect(perPart.status).toBe(400);
    // In a batch the client cannot even name a length: the plan gives part 1 its 1 byte.
    const b = await batch(token, '20210401_100000', [{ file: 'y.bin', start: { size: 1, partSize: 5 * MiB }, parts: [{ partNumber: 1, checksum: crc(big) }] }]);
    const url = b.json.files[0].parts[0];
    expect(url.headers['content-length']).toBe('1');
    // The 4 MiB sent with its own length: the signed length (1) does not match, S3 answers 403.
    expect((await send(url, big, { 'content-length': String(big.length) })).status).toBe(403);
    expect(await rawKeys()).toEqual(before);
  });

  it('part numbers past the declared size are refused, per part and in a batch', async () => {
    const token = await login(keyA);
    const session = '20210401_110000';
    const b = await batch(token, session, [{ file: 'd.bin', start: { size: 6 * MiB, partSize: 5 * MiB } }]);
    const { uploadId, ticket } = b.json.files[0];
    const sum = crc(Buffer.alloc(1));
    const inBatch = await batch(token, session, [{ file: 'd.bin', ticket, parts: [{ partNumber: 3, checksum: sum }] }]);
    const single = await call('/v1/multipart/part', token, { session, file: 'd.bin', uploadId, ticket, partNumber: 3, size: 1, checksum: sum });
    const past = await call('/v1/multipart/part', token, { session, file: 'd.bin', uploadId, ticket, partNumber: 10_000, size: 5 * MiB, checksum: sum });
    expect([inBatch.status, single.status, past.status]).toEqual([400, 400, 400]);
    expect(inBatch.json.error.message).toContain('past the end');
  });

  it("the batch endpoint's URLs add up to the declared size, and a ticket cannot be altered, moved to another file, or used by another rig", async () => {
    const token = await login(keyA);
    const session = '20210401_120000';
    const size = 11 * MiB + 7;
    const b = await batch(token, session, [
      { file: 'd.bin', start: { size, partSize: 5 * MiB }, parts: [1, 2, 3].map((n) => ({ partNumber: n, checksum: crc(Buffer.alloc(1)) })) },
    ]);
    const lengths = b.json.files[0].parts.map((p: { headers: Record<string, string> }) => Number(p.headers['content-length']));
    expect(lengths.reduce((a: number, n: number) => a + n, 0)).toBe(size);
    const ticket = b.json.files[0].ticket as string;
    const [prefix, payload, mac] = ticket.split('.');
    const record = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const grown = `${prefix}.${Buffer.from(JSON.stringify({ ...record, s: 100 * size })).toString('base64url')}.${mac}`;
    const part4 = [{ partNumber: 4, checksum: crc(Buffer.alloc(1)) }];
    const answers = [
      await batch(token, session, [{ file: 'd.bin', ticket: grown, parts: part4 }]),
      await batch(token, session, [{ file: 'other.bin', ticket, parts: [{ partNumber: 1, checksum: crc(Buffer.alloc(1)) }] }]),
      await batch(await login(keyB), session, [{ file: 'd.bin', ticket, parts: [{ partNumber: 1, checksum: crc(Buffer.alloc(1)) }] }]),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403]);
  });

  it('a multipart upload started before the commit cannot be completed after it, through either route', async () => {
    const token = await login(keyA);
    const session = '20210401_130000';
    const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(64, 7) };
    const body = Buffer.alloc(100, 5);
    const late = await batch(token, session, [
      ...Object.entries(files).map(([file, b]) => ({ file, put: { size: b.length, checksum: sha(b) } })),
      { file: 'late.bin', start: { size: body.length, partSize: body.length }, parts: [{ partNumber: 1, checksum: crc(body) }] },
    ]);
    for (const [i, b] of Object.values(files).entries()) expect((await send(late.json.files[i].put, b)).status).toBe(200);
    const { uploadId, ticket, parts } = late.json.files[2];
    const sent = await send(parts[0], body);
    expect(sent.status).toBe(200);
    expect((await call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files) })).status).toBe(200);
    const before = await rawKeys();
    // Act
    const done = [{ partNumber: 1, etag: sent.headers.get('etag'), checksum: crc(body) }];
    const viaRoute = await call('/v1/multipart/complete', token, { session, file: 'late.bin', uploadId, ticket, parts: done, presigned: true });
    const viaBatch = await batch(token, session, [{ file: 'late.bin', ticket, complete: true }]);
    // Assess
    expect([viaRoute.status, viaBatch.status]).toEqual([409, 409]);
    expect(viaRoute.json.error.message).toContain('already committed');
    expect(await rawKeys()).toEqual(before);
    expect(await stack.raw.head(`raw/${LOCAL_RIG}/${session}/late.bin`)).toBeUndefined();
  });

  it('an upload started and its completion presigned before the commit cannot be completed after the commit; the raw bucket is unchanged', async () => {
    const token = await login(keyA);
    const session = '20210401_150000';
    const other = '20210401_150100';
    const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(64, 7) };
    const body = Buffer.alloc(100, 6);
    const ahead = (file: string, attempt?: string) => ({
      file,
      ...(attempt ? { attempt } : {}),
      start: { size: body.length, partSize: body.length },
      parts: [{ partNumber: 1, checksum: crc(body) }],
      complete: true,
    });
    const signed = await batch(token, session, [
      ...Object.entries(files).map(([file, b]) => ({ file, put: { size: b.length, checksum: sha(b) } })),
      ahead('late.bin'),
      ahead('late.bin', 'k3x9q2'),
    ]);
    for (const [i, b] of Object.values(files).entries()) expect((await send(signed.json.files[i].put, b)).status).toBe(200);
    // Both uploads get their part before the commit; only the completions are held back.
    const held = [];
    for (const f of signed.json.files.slice(2)) {
      const sent = await send(f.parts[0], body);
      expect(sent.status).toBe(200);
      held.push({
        complete: f.complete,
        xml: completeMultipartXml([{ partNumber: 1, etag: sent.headers.get('etag')!, checksum: crc(body) as { algorithm: 'CRC32C'; value: string } }]),
      });
    }
    // Another session's upload, signed the same way, is not this commit's business.
    const elsewhere = (await batch(token, other, [ahead('late.bin')])).json.files[0];
    const elsewhereEtag = (await send(elsewhere.parts[0], body)).headers.get('etag')!;
    const prefix = `raw/${LOCAL_RIG}/${session}/`;
    expect(await stack.raw.listUploads(prefix)).toHaveLength(2);
    expect((await call('/v1/commit', token, { manifest: manifestFor(LOCAL_RIG, session, files) })).status).toBe(200);
    const before = await rawKeys();
    // Act
    const late = [];
    for (const h of held) late.push(await send(h.complete, h.xml));
    // Assess
    expect(late.map((r) => r.status)).toEqual([404, 404]);
    for (const r of late) expect(await r.text()).toContain('NoSuchUpload');
    expect(await rawKeys()).toEqual(before);
    expect(await stack.raw.head(`${prefix}late.bin`)).toBeUndefined();
    expect(await stack.raw.listUploads(prefix)).toEqual([]);
    const xml = completeMultipartXml([{ partNumber: 1, etag: elsewhereEtag, checksum: crc(body) as { algorithm: 'CRC32C'; value: string } }]);
    expect((await send(elsewhere.complete, xml)).status).toBe(200);
    expect(await stack.raw.get(`raw/${LOCAL_RIG}/${other}/late.bin`)).toEqual(body);
  });

  it('a URL signed before its key is revoked stays usable for its 5 minutes and no longer; the token stops at once', async () => {
    const keys = new FileKeyStore(keysFilePath(localDir(stack.home)));
    const key = await createRigKey(keys, 'rig-c', new Date());
    const token = await login(key.apiKey);
    const session = '20210401_160000';
    const [a, b] = [Buffer.alloc(10, 1), Buffer.alloc(10, 2)];
    const signed = await batch(token, session, [
      { file: 'a.bin', put: { size: a.length, checksum: sha(a) } },
      { file: 'b.bin', put: { size: b.length, checksum: sha(b) } },
    ]);
    const [urlA, urlB] = signed.json.files.map((f: { put: { url: string } }) => f.put);
    expect(new URL(urlA.url).searchParams.get('X-Amz-Expires')).toBe('300');
    await keys.revoke(key.id, new Date());
    expect((await batch(token, session, [{ file: 'c.bin', put: { size: 1, checksum: sha(Buffer.alloc(1)) } }])).status).toBe(401);
    try {
      skew = 290_000;
      expect((await send(urlA, a)).status).toBe(200);
      skew = 310_000;
      const late = await send(urlB, b);
      expect(late.status).toBe(403);
      expect(await late.text()).toContain('Request has expired');
    } finally {
      skew = 0;
    }
    expect((await stack.raw.list(`raw/rig-c/${session}/`)).map((o) => o.key)).toEqual([`raw/rig-c/${session}/a.bin`]);
  });

  it('the presigned completion is conditional: it cannot replace a stored key, nor be sent without its If-None-Match', async () => {
    const token = await login(keyA);
    const session = '20210401_140000';
    const first = Buffer.alloc(64, 1);
    const other = Buffer.alloc(64, 2);
    const put = await batch(token, session, [{ file: 'd.bin', put: { size: first.length, checksum: sha(first) } }]);
    expect((await send(put.json.files[0].put, first)).status).toBe(200);
    // A multipart upload of the same key, begun while the session is open (the start does not look at the key).
    const mp = await batch(token, session, [
      { file: 'd.bin', start: { size: other.length, partSize: other.length }, parts: [{ partNumber: 1, checksum: crc(other) }], complete: true },
    ]);
    const { parts, complete } = mp.json.files[0];
    expect(complete.headers['if-none-match']).toBe('*');
    const sent = await send(parts[0], other);
    const xml = completeMultipartXml([{ partNumber: 1, etag: sent.headers.get('etag')!, checksum: crc(other) as { algorithm: 'CRC32C'; value: string } }]);
    const withoutCondition = {
      ...complete,
      headers: Object.fromEntries(Object.entries(complete.headers as Record<string, string>).filter(([h]) => h !== 'if-none-match')),
    };
    expect((await send(withoutCondition, xml)).status).toBe(403);
    expect((await send(complete, xml)).status).toBe(412);
    expect(await stack.raw.get(`raw/${LOCAL_RIG}/${session}/d.bin`)).toEqual(first);
  });
});
