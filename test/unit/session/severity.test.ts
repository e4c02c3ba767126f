/** The validation policy: what blocks a session and what only warns (core/session/severity.ts). */
import { validateFolder, type FolderEntry } from '../../../src/core/session/validate.js';
import { buildManifest } from '../../../src/core/ingest/manifest.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';

const SESSION = '20210228_161221';
const file = (name: string, size: number, kind: FolderEntry['kind'] = 'file'): FolderEntry => ({ name, path: `/s/${name}`, kind, size, mtimeMs: 0 });
const meta = 'channels: 2\nsample_format: int16le\n';

describe('validation policy', () => {
  it('archives a session whose last frame is cut short, with the warning naming the file (not a rig path)', () => {
    const r = validateFolder({ dir: '/s', name: SESSION, metadataText: meta, entries: [file('metadata.txt', meta.length), file('a.bin', 4 * 10 + 3)] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['data.partial_frame', 'warning']]);
    expect(r.session.warnings).toEqual([
      { code: 'data.partial_frame', file: 'a.bin', message: expect.stringContaining('the last 3 bytes are a frame cut short') },
    ]);
    const m = buildManifest({
      session: r.session,
      rig: 'rig-a',
      sha256: { 'metadata.txt': 'a'.repeat(64), 'a.bin': 'b'.repeat(64) },
      client: { name: 'recpipe', version: '1', host: 'h', transport: 'api' },
      createdAt: 'x',
    });
    expect(m.warnings).toEqual(r.session.warnings);
  });

  it('warns on content: unparseable lines, unknown sample formats, empty data files (skipped)', () => {
    const text = 'channels: 2\nsample_format: int24le\nthis is prose\n';
    const r = validateFolder({ dir: '/s', name: SESSION, metadataText: text, entries: [file('metadata.txt', text.length), file('empty.bin', 0)] });
    expect(r.ok).toBe(true);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['file.empty', 'metadata.bad_line', 'metadata.enum']);
    expect(r.ok && r.session.files.map((f) => f.name)).toEqual(['metadata.txt']);
  });

  it.each([
    ['a name that is not a date', { name: '20210229_161221' }, 'name.invalid'],
    ['a symbolic link', { entries: [file('metadata.txt', meta.length), file('a.bin', 4, 'symlink')] }, 'file.symlink'],
    ['an empty metadata file', { metadataText: '', entries: [file('metadata.txt', 0), file('a.bin', 4)] }, 'metadata.missing'],
    ['no metadata file', { metadataText: undefined, entries: [file('a.bin', 4)] }, 'metadata.missing'],
  ])('blocks %s', (_what, change, code) => {
    const r = validateFolder({ dir: '/s', name: SESSION, metadataText: meta, entries: [file('metadata.txt', meta.length), file('a.bin', 4)], ...change });
    expect(r.ok).toBe(false);
    expect(r.problems.find((p) => p.code === code)).toMatchObject({ severity: 'error' });
  });

  it('the decoder leaves out .bin files whose metadata gives no usable layout, and says so', () => {
    const m = {
      sessionId: 'rig-a/' + SESSION,
      variables: { numeric: { channels: 2.5 }, text: {} },
      files: [
        { name: 'a.bin', role: 'data', size: 8, sha256: '' },
        { name: 'metadata.txt', role: 'metadata', size: 3, sha256: '' },
      ],
    } as never;
    expect(decodeProcessor.plan(m)).toEqual([]);
    expect(decodeProcessor.unprocessed!(m)).toEqual([{ file: 'a.bin', bytes: 8, reason: expect.stringContaining('not decoded') }]);
  });
});
