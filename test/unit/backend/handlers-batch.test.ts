/**
 * POST /v1/uploads/batch over the in-memory fakes: many URLs per call, each part bound to the
 * plan its upload's ticket declares, one session check and one quota charge per batch, nothing
 * signed when anything is refused. (The same attacks against the real gateway and API:
 * test/security/upload-bounds.test.ts.)
 */
import { checksumOf } from '../../../src/adapters/memory/presigner.js';
import { completeMultipartXml } from '../../../src/core/ingest/complete-xml.js';
import { apiFixture, manifestFor } from './fixture.js';

const SESSION = '20210228_161221';
const crc = (b: Buffer) => ({ algorithm: 'CRC32C' as const, value: checksumOf(b, 'CRC32C') });
const sha = (b: Buffer) => ({ algorithm: 'SHA256' as const, value: checksumOf(b, 'SHA256') });
const body = Buffer.from(Array.from({ length: 25 }, (_, i) => i));
const part = (n: number) => body.subarray((n - 1) * 10, n * 10);

describe('POST /v1/uploads/batch', () => {
  it('starts an upload and signs all its parts, each with its planned length and CRC32C, and its completion, in one call', async () => {
    // Prepare
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const meta = Buffer.from('fatigue: 3\n');
    // Act
    const res = await f.call(
      'POST',
      '/v1/uploads/batch',
      {
        session: SESSION,
        files: [
          { file: 'meta.txt', put: { size: meta.length, checksum: sha(meta) } },
          { file: 'data.bin', start: { size: 25, partSize: 10 }, parts: [1, 2, 3].map((n) => ({ partNumber: n, checksum: crc(part(n)) })), complete: true },
        ],
      },
      token,
    );
    // Assess
    expect(res.status).toBe(200);
    const [put, data] = res.json.files;
    expect(data.parts.map((p: { headers: Record<string, string> }) => p.headers['content-length'])).toEqual(['10', '10', '5']);
    await f.presigner.send(put.put, meta);
    const parts = [];
    for (const p of data.parts)
      parts.push({ partNumber: p.partNumber, etag: await f.presigner.send(p, part(p.partNumber)), checksum: crc(part(p.partNumber)) });
    await f.presigner.send(data.complete, Buffer.from(completeMultipartXml(parts)));
    expect(await f.raw.get(`raw/rig-a/${SESSION}/data.bin`)).toEqual(body);
    expect(data.ticket).toMatch(/^rpu1\./);
    expect(f.logger.entries.filter((e) => e.event === 'api.quota.charged')).toHaveLength(1);
  });

  it("signs more parts of an upload begun earlier against its ticket; refuses parts past the declared size, another file's ticket and a forged one", async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const begun = await f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [{ file: 'data.bin', start: { size: 25, partSize: 10 } }] }, token);
    const ticket = begun.json.files[0].ticket as string;
    const ask = (file: string, t: string, n: number) =>
      f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [{ file, ticket: t, parts: [{ partNumber: n, checksum: crc(part(1)) }] }] }, token);
    f.presigner.calls.length = 0;
    expect((await ask('data.bin', ticket, 3)).json.files[0].parts[0].headers['content-length']).toBe('5');
    const refused = [
      await ask('data.bin', ticket, 4),
      await ask('other.bin', ticket, 1),
      await ask(
        'data.bin',
        ticket.replace(/.{10}$/, (c) => (c[0] === 'A' ? 'B' : 'A') + c.slice(1)),
        1,
      ),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 403, 403]);
    expect(f.presigner.calls.filter((c) => c.op === 'presignPart')).toHaveLength(1);
  });

  it('refuses the whole batch, nothing signed or charged, when one file breaks a rule', async () => {
    const f = await apiFixture({ maxFileBytes: 100 });
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call(
      'POST',
      '/v1/uploads/batch',
      {
        session: SESSION,
        files: [
          { file: 'a.bin', start: { size: 50, partSize: 10 } },
          { file: 'b.bin', start: { size: 101, partSize: 10 } },
        ],
      },
      token,
    );
    expect(res.status).toBe(429);
    expect(f.presigner.calls).toEqual([]);
    expect(f.logger.entries.filter((e) => e.event === 'api.quota.charged')).toEqual([]);
  });

  it("answers a committed session's state and signs nothing at its plain keys; without the state asked, refuses", async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': body };
    for (const [name, b] of Object.entries(files)) await f.raw.put(`raw/rig-a/${SESSION}/${name}`, b);
    expect((await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token)).status).toBe(200);
    f.presigner.calls.length = 0;
    const late = { session: SESSION, files: [{ file: 'late.bin', start: { size: 25, partSize: 10 }, complete: true }] };
    const withState = await f.call('POST', '/v1/uploads/batch', { ...late, state: true }, token);
    const without = await f.call('POST', '/v1/uploads/batch', late, token);
    expect(withState.json).toMatchObject({ files: [], state: { committed: true, revision: 1 } });
    expect(without.status).toBe(409);
    // The batch looks at the session once, after its starts (issue 30): each upload it began is
    // aborted, nothing is signed or charged, and nothing stays open.
    const ops = f.presigner.calls.map((c) => c.op);
    expect(ops.filter((op) => op.startsWith('presign'))).toEqual([]);
    expect(ops.filter((op) => op === 'startMultipart')).toHaveLength(2);
    expect(ops.filter((op) => op === 'abortMultipart')).toHaveLength(2);
    expect(await f.raw.listUploads(`raw/rig-a/${SESSION}/`)).toEqual([]);
    expect(f.logger.entries.filter((e) => e.event === 'api.quota.charged' && String(e.fields?.key).includes('late'))).toEqual([]);
  });

  it('aborts the uploads it began when the quota refuses the batch after its starts', async () => {
    const f = await apiFixture({ bytesPerDay: 40 });
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [{ file: 'a.bin', start: { size: 50, partSize: 10 } }] }, token);
    expect(res.status).toBe(429);
    const ops = f.presigner.calls.map((c) => c.op);
    expect(ops.filter((op) => op.startsWith('presign'))).toEqual([]);
    expect(await f.raw.listUploads(`raw/rig-a/${SESSION}/`)).toEqual([]);
  });

  it('refuses malformed batches with a 400 naming the field', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    for (const files of [
      [],
      [{ file: 'a.bin' }],
      [{ file: 'a.bin', put: { size: 1, checksum: sha(body) }, start: { size: 1 } }],
      [{ file: 'a.bin', start: { size: 25, partSize: 10 }, parts: [{ partNumber: 4, checksum: crc(body) }] }],
      [{ file: 'a.bin', start: { size: 25, partSize: 10 }, parts: [1, 1].map((n) => ({ partNumber: n, checksum: crc(body) })) }],
      [
        { file: 'a.bin', start: { size: 5 } },
        { file: 'a.bin', start: { size: 5 } },
      ],
      [{ file: '../x', start: { size: 5 } }],
    ]) {
      const res = await f.call('POST', '/v1/uploads/batch', { session: SESSION, files }, token);
      expect(res.status).toBe(400);
    }
    expect(f.presigner.calls).toEqual([]);
  });
});
