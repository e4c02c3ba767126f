import { apiFixture, manifestFor, sha256b64 } from './fixture.js';

const SESSION = '20210228_161221';
const first = { 'meta.txt': Buffer.from('fatigue: 3\nhardware_model: X\n'), 'data.bin': Buffer.alloc(100, 9) };
const grown = Buffer.alloc(160, 9);
const P = `raw/rig-a/${SESSION}/`;

/** A committed session (revision 1) of rig-a. */
async function committed() {
  const f = await apiFixture();
  for (const [name, body] of Object.entries(first)) await f.raw.put(P + name, body);
  const token = await f.login(f.keyA.apiKey);
  expect((await f.call('POST', '/v1/commit', { manifest: manifestFor('rig-a', SESSION, first) }, token)).status).toBe(200);
  return { ...f, token };
}

/** Revision `n` of the session where data.bin grew and new.bin appeared, both under `attempt`. */
function revision(n: number, attempt = 'att0001') {
  const m = manifestFor('rig-a', SESSION, { ...first, 'data.bin': grown, 'new.bin': Buffer.from('more') });
  for (const f of m.files) if (f.name !== 'meta.txt') f.attempt = attempt;
  return { ...m, revision: n };
}

describe('session revisions at the API', () => {
  it('accepts a revision only for a committed session', async () => {
    // Prepare: files stored, nothing committed.
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    await f.raw.put(P + 'meta.txt', first['meta.txt']);
    await f.raw.put(P + '_attempts/att0001/data.bin', grown);
    await f.raw.put(P + '_attempts/att0001/new.bin', Buffer.from('more'));
    // Act
    const res = await f.call('POST', '/v1/commit', { manifest: revision(2) }, token);
    // Assess
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'conflict', details: { previousRevision: 1, committed: false } });
    expect(res.json.error.message).toContain('not committed yet');
    expect(await f.raw.list(P + '_revisions/')).toEqual([]);
    expect(await f.raw.head(P + '_manifest.json')).toBeUndefined();
  });

  it('writes revision 2 at its own key, leaves revision 1 and its objects as they were, and answers with the newest', async () => {
    const f = await committed();
    const rev1 = await f.raw.get(P + '_manifest.json');
    const objects = await f.raw.list(P);
    // The plain keys of a committed session stay closed; attempt keys are open for the revision.
    const plain = await f.call(
      'POST',
      '/v1/presign',
      { session: SESSION, file: 'data.bin', size: 160, checksum: { algorithm: 'SHA256', value: sha256b64(grown) } },
      f.token,
    );
    expect(plain.status).toBe(409);
    const signed = await f.call(
      'POST',
      '/v1/presign',
      { session: SESSION, file: 'data.bin', attempt: 'att0001', size: 160, checksum: { algorithm: 'SHA256', value: sha256b64(grown) } },
      f.token,
    );
    expect(signed.status).toBe(200);
    expect(signed.json.key).toBe(P + '_attempts/att0001/data.bin');
    await f.raw.put(P + '_attempts/att0001/data.bin', grown);
    await f.raw.put(P + '_attempts/att0001/new.bin', Buffer.from('more'));
    // Act
    const res = await f.call('POST', '/v1/commit', { manifest: revision(2) }, f.token);
    // Assess
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'committed', key: P + '_revisions/2/_manifest.json', revision: 2 });
    expect((await f.raw.get(P + '_manifest.json')).equals(rev1)).toBe(true);
    for (const o of objects) expect((await f.raw.head(o.key))?.etag).toBe(o.etag);
    const state = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, f.token);
    expect(state.json).toMatchObject({ committed: true, revision: 2, manifest: { revision: 2, fileCount: 3 } });
    // The older revision stays readable where it was.
    expect(JSON.parse(rev1.toString()).files.find((x: { name: string }) => x.name === 'data.bin')).toMatchObject({ size: 100 });
    // Write-once: the same revision again is already_committed; other content under the same number is refused.
    expect((await f.call('POST', '/v1/commit', { manifest: revision(2) }, f.token)).json.status).toBe('already_committed');
    await f.raw.put(P + '_attempts/att0002/data.bin', grown);
    await f.raw.put(P + '_attempts/att0002/new.bin', Buffer.from('more'));
    const other = revision(2, 'att0002');
    other.variables = { numeric: { fatigue: 4 }, text: { hardware_model: 'X' } };
    const clash = await f.call('POST', '/v1/commit', { manifest: other }, f.token);
    expect(clash.status).toBe(409);
    expect(clash.json.error.message).toContain('revision 2 of session rig-a/20210228_161221 is already committed');
    // Revisions follow in order: 4 before 3 is refused.
    expect((await f.call('POST', '/v1/commit', { manifest: revision(4, 'att0002') }, f.token)).json.error.details).toMatchObject({ previousRevision: 3 });
  });

  it('refuses a revision that drops a file, moves an unchanged one, or puts new bytes at a committed key', async () => {
    const f = await committed();
    await f.raw.put(P + '_attempts/att0001/data.bin', grown);
    await f.raw.put(P + '_attempts/att0001/meta.txt', first['meta.txt']);
    const dropped = { ...manifestFor('rig-a', SESSION, { 'meta.txt': first['meta.txt'] }), revision: 2 };
    const moved = { ...manifestFor('rig-a', SESSION, { ...first, 'data.bin': grown }), revision: 2 };
    for (const x of moved.files) x.attempt = 'att0001';
    const inPlace = { ...manifestFor('rig-a', SESSION, { ...first, 'data.bin': grown }), revision: 2 };
    for (const [m, text] of [
      [dropped, 'missing: data.bin'],
      [moved, 'meta.txt is unchanged and must keep its stored object'],
      [inPlace, 'data.bin is new or changed and must be stored under a new upload attempt'],
    ] as const) {
      const res = await f.call('POST', '/v1/commit', { manifest: m }, f.token);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toContain(text);
    }
    expect(await f.raw.list(P + '_revisions/')).toEqual([]);
  });
});
