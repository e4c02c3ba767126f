import { createHash } from 'node:crypto';
import { apiFixture, manifestFor } from './fixture.js';

const SESSION = '20210228_161221';
const files = { 'meta.txt': Buffer.from('fatigue: 3\nhardware_model: X\n'), 'data.bin': Buffer.alloc(100, 9) };

async function uploaded(rig = 'rig-a') {
  const f = await apiFixture();
  for (const [name, body] of Object.entries(files)) await f.raw.put(`raw/${rig}/${SESSION}/${name}`, body);
  return f;
}

describe('commit', () => {
  it('writes the manifest last, canonical, and returns the SHA-256 of the stored bytes', async () => {
    // Prepare
    const f = await uploaded();
    const token = await f.login(f.keyA.apiKey);
    const manifest = manifestFor('rig-a', SESSION, files);
    // Act
    const res = await f.call('POST', '/v1/commit', { manifest }, token);
    // Assess
    const key = `raw/rig-a/${SESSION}/_manifest.json`;
    const stored = await f.raw.get(key);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'committed', key, manifestSha256: createHash('sha256').update(stored).digest('hex') });
    expect(JSON.parse(stored.toString())).toEqual(manifest);
    expect(Object.keys(JSON.parse(stored.toString()))).toEqual(Object.keys(manifest).sort());
    const state = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, token);
    expect(state.json).toMatchObject({
      committed: true,
      manifest,
      objects: [
        { name: 'data.bin', size: 100 },
        { name: 'meta.txt', size: files['meta.txt'].length },
      ],
    });
  });

  it('answers already_committed for the same content from another host, without rewriting', async () => {
    const f = await uploaded();
    const token = await f.login(f.keyA.apiKey);
    const first = await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token);
    const again = manifestFor('rig-a', SESSION, files);
    again.createdAt = '2026-03-02T00:00:00.000Z';
    again.client.host = 'other';
    const second = await f.call('POST', '/v1/commit', { manifest: again }, token);
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ ...first.json, status: 'already_committed' });
  });

  it('refuses a different manifest for a committed session with 409 naming the differing files', async () => {
    const f = await uploaded();
    const token = await f.login(f.keyA.apiKey);
    await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token);
    const before = await f.raw.get(`raw/rig-a/${SESSION}/_manifest.json`);
    const other = manifestFor('rig-a', SESSION, files);
    other.files[1].sha256 = 'f'.repeat(64);
    const res = await f.call('POST', '/v1/commit', { manifest: other }, token);
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'conflict', details: { files: ['data.bin'] } });
    expect(res.json.error.message).toContain('data.bin');
    expect(await f.raw.get(`raw/rig-a/${SESSION}/_manifest.json`)).toEqual(before);
    const vars = manifestFor('rig-a', SESSION, files, { numeric: { fatigue: 4 }, text: { hardware_model: 'X' } });
    expect((await f.call('POST', '/v1/commit', { manifest: vars }, token)).json.error.message).toContain('variables differ');
  });

  it('refuses to commit before every file is stored, naming the missing ones', async () => {
    const f = await apiFixture();
    await f.raw.put(`raw/rig-a/${SESSION}/meta.txt`, files['meta.txt']);
    const res = await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, await f.login(f.keyA.apiKey));
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'conflict', details: { missing: ['data.bin'] } });
    expect(f.raw.keys()).not.toContain(`raw/rig-a/${SESSION}/_manifest.json`);
  });

  it('refuses a manifest whose sizes or hashes differ from the stored objects', async () => {
    const f = await uploaded();
    const token = await f.login(f.keyA.apiKey);
    const wrongSize = manifestFor('rig-a', SESSION, { ...files, 'data.bin': Buffer.alloc(101, 9) });
    const res = await f.call('POST', '/v1/commit', { manifest: wrongSize }, token);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('data.bin (stored 100, manifest 101)');
    const wrongHash = manifestFor('rig-a', SESSION, { ...files, 'data.bin': Buffer.alloc(100, 8) });
    expect((await f.call('POST', '/v1/commit', { manifest: wrongHash }, token)).json.error).toMatchObject({
      code: 'integrity',
      details: { checksumMismatch: ['data.bin'] },
    });
  });

  it("refuses, with 403, a manifest for another rig than the token's", async () => {
    const f = await uploaded('rig-b');
    const res = await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-b', SESSION, files) }, await f.login(f.keyA.apiKey));
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
    expect(f.raw.keys().some((k) => k.endsWith('_manifest.json'))).toBe(false);
  });

  it('refuses malformed manifests with every problem listed', async () => {
    const f = await uploaded();
    const token = await f.login(f.keyA.apiKey);
    const good = manifestFor('rig-a', SESSION, files);
    const cases: [string, Record<string, unknown>][] = [
      ['schema', { schema: 'recpipe.manifest/2' }],
      ['session', { session: '20210229_000000' }],
      ['sessionId', { sessionId: 'rig-b/20210228_161221' }],
      ['fileCount', { fileCount: 3 }],
      ['totalBytes', { totalBytes: 1 }],
      ['listed twice', { files: [good.files[0], good.files[0]], fileCount: 2, totalBytes: good.files[0].size * 2 }],
      ['files[0].name', { files: [{ ...good.files[0], name: '../x' }], fileCount: 1, totalBytes: good.files[0].size }],
      ['sha256', { files: [{ ...good.files[0], sha256: 'ABC' }], fileCount: 1, totalBytes: good.files[0].size }],
      ['size', { files: [{ ...good.files[0], size: -1 }], fileCount: 1, totalBytes: -1 }],
      ['metadataFile', { metadataFile: 'nope.txt' }],
      ['variables', { variables: { numeric: { a: 'x' }, text: {} } }],
    ];
    for (const [what, patch] of cases) {
      const res = await f.call('POST', '/v1/commit', { manifest: { ...good, ...patch } }, token);
      expect({ what, status: res.status, code: res.json.error.code }).toEqual({ what, status: 400, code: 'invalid_session' });
      expect(res.json.error.message).toContain(what);
    }
    expect((await f.call('POST', '/v1/commit', {}, token)).status).toBe(400);
  });

  it('of two racing commits, exactly one writes and the other compares', async () => {
    const f = await uploaded();
    const token = await f.login(f.keyA.apiKey);
    const [a, b] = await Promise.all([1, 2].map(() => f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, files) }, token)));
    expect([a.json.status, b.json.status].sort()).toEqual(['already_committed', 'committed']);
    expect(a.json.manifestSha256).toBe(b.json.manifestSha256);
  });
});
