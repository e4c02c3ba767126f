/**
 * Issue 30: on AWS each S3 call the API makes is a round trip inside the Lambda, on the upload's
 * critical path (the first batch before the first part, the commit after the last). These tests
 * count the API's S3 round trips as phases: calls made together (before any of them answers)
 * are one phase; a call made after another answered starts the next. No clock is read.
 */
import type { ObjectStore } from '../../../src/core/ports.js';
import type { Presigner } from '../../../src/backend/ports.js';
import { apiFixture, manifestFor } from './fixture.js';

const SESSION = '20210228_161221';
const prefix = `raw/rig-a/${SESSION}/`;

/** Wraps the store's and the presigner's S3 calls: each answers a macrotask later, and the calls are grouped into phases. */
function phases(f: Awaited<ReturnType<typeof apiFixture>>) {
  const seen: string[][] = [];
  let pending = 0;
  let current: string[] | undefined;
  const wrap = <T extends object>(target: T, names: (keyof T & string)[]) => {
    for (const name of names) {
      const fn = (target[name] as (...a: unknown[]) => Promise<unknown>).bind(target);
      (target as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        if (pending++ === 0) seen.push((current = []));
        current!.push(name);
        try {
          return await fn(...args);
        } finally {
          await new Promise((r) => setImmediate(r));
          if (--pending === 0) current = undefined;
        }
      };
    }
  };
  wrap<ObjectStore>(f.raw, ['head', 'get', 'put', 'list', 'listUploads']);
  wrap<Presigner>(f.presigner, ['startMultipart', 'abortMultipart']);
  return { seen, reset: () => (seen.length = 0) };
}

describe("the API's S3 round trips per call", () => {
  it("a first upload's first batch: its starts, then one look at the session (the listing it answers with)", async () => {
    const f = await apiFixture();
    const p = phases(f);
    const token = await f.login(f.keyA.apiKey);
    const res = await f.call(
      'POST',
      '/v1/uploads/batch',
      {
        session: SESSION,
        state: true,
        files: [
          { file: 'a.bin', start: { size: 100, partSize: 50 }, parts: [{ partNumber: 1, checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }] },
          { file: 'b.bin', start: { size: 100, partSize: 50 } },
        ],
      },
      token,
    );
    expect(res.status).toBe(200);
    expect(p.seen).toEqual([['startMultipart', 'startMultipart'], ['list']]);
  });

  it('a later batch: its starts, then one HEAD of the manifest; a batch of parts only: the HEAD alone', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const first = await f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [{ file: 'a.bin', start: { size: 100, partSize: 50 } }] }, token);
    const p = phases(f);
    await f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [{ file: 'b.bin', start: { size: 100, partSize: 50 } }] }, token);
    expect(p.seen).toEqual([['startMultipart'], ['head']]);
    p.reset();
    const more = { file: 'a.bin', ticket: first.json.files[0].ticket, parts: [{ partNumber: 2, checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }] };
    expect((await f.call('POST', '/v1/uploads/batch', { session: SESSION, files: [more] }, token)).status).toBe(200);
    expect(p.seen).toEqual([['head']]);
  });

  it('a commit: whether it is committed, its objects and the open uploads together; then the manifest; then the sweep after it', async () => {
    const f = await apiFixture();
    const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(100, 9), 'more.bin': Buffer.alloc(10, 1) };
    for (const [name, body] of Object.entries(files)) await f.raw.put(`${prefix}${name}`, body);
    const token = await f.login(f.keyA.apiKey);
    const p = phases(f);
    expect((await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token)).status).toBe(200);
    expect(p.seen.map((phase) => [...phase].sort())).toEqual([['head', 'head', 'head', 'head', 'listUploads'], ['put'], ['listUploads']]);
  });
});
