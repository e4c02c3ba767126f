/**
 * Attacks through the manifest: the server re-applies every client rule (shared module
 * core/session/variable-rules.ts), keeps only known fields and derives recordedAt from the name.
 * A refused manifest writes nothing.
 */
import { validateFolder } from '../../src/core/session/validate.js';
import { binaryLayout } from '../../src/core/session/schema.js';
import { parseMetadata } from '../../src/core/session/metadata.js';
import { apiFixture, manifestFor } from '../unit/backend/fixture.js';

const SESSION = '20210228_161221';
const files = { 'meta.txt': Buffer.from('fatigue: 3\n'), 'data.bin': Buffer.alloc(8, 1) };
const manifestKey = `raw/rig-a/${SESSION}/_manifest.json`;

async function commitWith(edit: (m: Record<string, unknown>) => void) {
  const f = await apiFixture();
  for (const [name, body] of Object.entries(files)) await f.raw.put(`raw/rig-a/${SESSION}/${name}`, body);
  const manifest = manifestFor('rig-a', SESSION, files) as unknown as Record<string, unknown>;
  edit(manifest);
  const res = await f.call('POST', '/v1/commit', { manifest }, await f.login(f.keyA.apiKey));
  const stored = (await f.raw.head(manifestKey)) ? JSON.parse((await f.raw.get(manifestKey)).toString()) : undefined;
  return { res, stored };
}

const vars = (numeric: Record<string, unknown>, text: Record<string, unknown>) => (m: Record<string, unknown>) => {
  m.variables = { numeric, text };
};

describe('attack: a hand-made manifest', () => {
  it.each([
    ['a name used as number and as text, differing only in case', vars({ fatigue: 3 }, { Fatigue: 'x' })],
    ['a name that is not snake_case', vars({ 'Bad Name': 1 }, {})],
    ['a number that is not finite or not a number', vars({ fatigue: '3' }, {})],
    ['a text value that is not a string', vars({}, { operator: { nested: true } })],
    ['a file name escaping the session', (m: Record<string, unknown>) => void ((m.files as { name: string }[])[1].name = '../x.bin')],
    ['a negative file size', (m: Record<string, unknown>) => void ((m.files as { size: number }[])[1].size = -8)],
    ['a client that is not an object', (m: Record<string, unknown>) => void (m.client = 'evil')],
    ['a createdAt that is not a time', (m: Record<string, unknown>) => void (m.createdAt = 'yesterday')],
  ])('refuses %s with 400 and writes no manifest', async (_what, edit) => {
    const { res, stored } = await commitWith(edit);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_session');
    expect(stored).toBeUndefined();
  });

  it('stores only known fields and derives recordedAt from the session name', async () => {
    const { res, stored } = await commitWith((m) => {
      m.recordedAt = '1999-01-01T00:00:00';
      m.admin = true;
      m.__proto__ = { polluted: 1 };
      (m.client as Record<string, unknown>).extra = 'x';
      (m.files as Record<string, unknown>[])[0].role2 = 'x';
    });
    expect(res.status).toBe(200);
    expect(stored.recordedAt).toBe('2021-02-28T16:12:21');
    expect(Object.keys(stored).sort()).toEqual([
      'client',
      'createdAt',
      'fileCount',
      'files',
      'metadataFile',
      'recordedAt',
      'rig',
      'schema',
      'session',
      'sessionId',
      'totalBytes',
      'variables',
    ]);
    expect(Object.keys(stored.client).sort()).toEqual(['host', 'name', 'transport', 'version']);
    expect(Object.keys(stored.files[0]).sort()).toEqual(['name', 'role', 'sha256', 'size']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // Content, not structure: the session is archived, and the server adds the warning the client left out.
  it.each([
    ['channels above the bound', vars({ channels: 5000 }, {}), 'metadata.range'],
    ['channels that are not whole', vars({ channels: 2.5 }, {}), 'metadata.range'],
    ['sample_format naming an Object.prototype member', vars({ channels: 2 }, { sample_format: 'toString' }), 'metadata.enum'],
  ])('accepts %s as a warning it records itself', async (_what, edit, code) => {
    const { res, stored } = await commitWith(edit);
    expect(res.status).toBe(200);
    expect(stored.warnings).toEqual([expect.objectContaining({ code, message: expect.stringContaining('fix:') })]);
  });

  it('refuses warnings that are not one printable line, or name a path', async () => {
    for (const w of [
      { code: 'data.partial_frame', message: 'a\nb' },
      { code: 'x', message: 'y' },
      { code: 'data.partial_frame', file: '../x.bin', message: 'y' },
      'text',
    ]) {
      const { res, stored } = await commitWith((m) => void (m.warnings = [w]));
      expect(res.status).toBe(400);
      expect(stored).toBeUndefined();
    }
  });

  it('takes ordinary variables whatever their names, including "constructor" (own properties only)', async () => {
    const { res, stored } = await commitWith(vars({ constructor: 1, channels: 2 }, { sample_format: 'int16le', value_of: 'x' }));
    expect(res.status).toBe(200);
    expect(stored.variables.numeric.constructor).toBe(1);
  });
});

describe('client and server agree', () => {
  it('the client refuses the same metadata the server would (case-folded duplicates cannot be written at all)', () => {
    const parsed = parseMetadata('m.json', JSON.stringify({ constructor: 3, fatigue: 1 }));
    expect(parsed.problems).toEqual([]);
    expect(parsed.variables.numeric).toEqual({ constructor: 3, fatigue: 1 });
    const dup = parseMetadata('m.txt', 'fatigue: 1\nFatigue: x\n');
    expect(dup.problems.map((p) => p.code)).toEqual(['metadata.bad_key']);
  });

  it('binaryLayout ignores inherited names like toString (no NaN frame sizes downstream)', () => {
    expect(binaryLayout({ numeric: { channels: 2 }, text: { sample_format: 'toString' } })).toBeUndefined();
    expect(binaryLayout({ numeric: { channels: 2 }, text: { sample_format: 'int32le' } })).toMatchObject({ bytesPerSample: 4 });
  });

  it('a folder whose metadata the client accepts is accepted by the server', async () => {
    const text = 'channels: 2\nsample_format: int16le\nconstructor: 1\noperator: "ann"\n';
    const result = validateFolder({
      dir: '/s',
      name: SESSION,
      metadataText: text,
      entries: [
        { name: 'metadata.txt', path: '/s/metadata.txt', kind: 'file', size: text.length, mtimeMs: 0 },
        { name: 'd.bin', path: '/s/d.bin', kind: 'file', size: 8, mtimeMs: 0 },
      ],
    });
    expect(result.ok).toBe(true);
    const { res } = await commitWith((m) => void (m.variables = result.session!.variables));
    expect(res.status).toBe(200);
  });
});
