/**
 * A commit closes its session's open uploads (commit/close-uploads.ts), and a start at a plain
 * key looks at the session again once started (handlers/open-session.ts). Whatever order a
 * commit and a start reach the store in, no upload of the session is open once both answered.
 * The embedded stack's test: test/security/upload-bounds.test.ts.
 */
import { completeMultipartXml } from '../../../src/core/ingest/complete-xml.js';
import type { PutOptions } from '../../../src/core/ports.js';
import { apiFixture, manifestFor } from './fixture.js';

const SESSION = '20210228_161221';
const files = { 'meta.txt': Buffer.from('fatigue: 3\nhardware_model: X\n'), 'data.bin': Buffer.alloc(100, 9) };
const prefix = `raw/rig-a/${SESSION}/`;

async function ready(stored: Record<string, Buffer> = files) {
  const f = await apiFixture();
  for (const [name, body] of Object.entries(stored)) await f.raw.put(`${prefix}${name}`, body);
  const token = await f.login(f.keyA.apiKey);
  const commit = () => f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token);
  const start = (file: string) =>
    f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [{ file, start: { size: 100, partSize: 100 }, complete: true }] }, token);
  return { f, commit, start };
}

describe('a commit closes its session to uploads', () => {
  it('aborts the uploads open under the session, attempt keys included, and leaves other sessions alone', async () => {
    const { f, commit, start } = await ready();
    expect((await start('late.bin')).status).toBe(200);
    const other = await f.presigner.startMultipart('raw/rig-a/20210228_161222/late.bin');
    const revised = await f.presigner.startMultipart(`${prefix}_attempts/k3x9q2/late.bin`);
    expect(await f.raw.listUploads(prefix)).toHaveLength(2);
    const res = await commit();
    expect(res.status).toBe(200);
    expect(await f.raw.listUploads(prefix)).toEqual([]);
    expect(f.presigner.uploads.has(revised.uploadId)).toBe(false);
    expect((await f.raw.listUploads('raw/rig-a/')).map((u) => u.uploadId)).toEqual([other.uploadId]);
    expect(f.logger.entries.find((e) => e.event === 'api.commit')?.fields).toMatchObject({ status: 'committed', abortedUploads: 2 });
  });

  it('a refused commit (a file missing) leaves the uploads open, so the rig can finish and commit again', async () => {
    const { f, commit, start } = await ready({ 'meta.txt': files['meta.txt'] });
    expect((await start('data.bin')).status).toBe(200);
    expect((await commit()).status).toBe(409);
    expect(await f.raw.listUploads(prefix)).toHaveLength(1);
  });

  it("a commit written between a start's open check and its CreateMultipartUpload: the start looks again, aborts its upload and signs nothing", async () => {
    const { f, commit, start } = await ready();
    const create = f.presigner.startMultipart.bind(f.presigner);
    let committed: Awaited<ReturnType<typeof commit>> | undefined;
    f.presigner.startMultipart = async (key: string) => {
      committed ??= await commit();
      return create(key);
    };
    const res = await start('late.bin');
    expect(committed?.status).toBe(200);
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'conflict', details: { committed: true } });
    expect(await f.raw.listUploads(prefix)).toEqual([]);
    expect(f.presigner.calls.filter((c) => c.op === 'abortMultipart')).toHaveLength(1);
  });

  it("an upload started while the commit writes its manifest: the commit's sweep after the write aborts it, so the completion signed with it fails", async () => {
    const { f, commit, start } = await ready();
    const put = f.raw.put.bind(f.raw);
    let started: Awaited<ReturnType<typeof start>> | undefined;
    f.raw.put = async (key: string, body: Buffer | string, options?: PutOptions) => {
      if (key.endsWith('_manifest.json')) started ??= await start('late.bin');
      return put(key, body, options);
    };
    expect((await commit()).status).toBe(200);
    expect(started?.status).toBe(200);
    expect(await f.raw.listUploads(prefix)).toEqual([]);
    const xml = completeMultipartXml([{ partNumber: 1, etag: '"x"', checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }]);
    await expect(f.presigner.send(started!.json.files[0].complete, Buffer.from(xml))).rejects.toMatchObject({ code: 'not_found' });
    expect(await f.raw.head(`${prefix}late.bin`)).toBeUndefined();
  });
});
