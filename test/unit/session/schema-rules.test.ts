/** Lab schema rules: "did you mean" for misspelt names, rules a lab marks as blocking, and data the decoder will not read. */
import { checkVariables, schemaErrors } from '../../../src/core/session/schema.js';
import { closestName, editDistance } from '../../../src/core/session/suggest.js';
import { validateFolder, type FolderEntry } from '../../../src/core/session/validate.js';
import { formatProblem } from '../../../src/features/session/validate-session-dir.js';

const SESSION = '20210228_161221';
const file = (name: string, size: number): FolderEntry => ({ name, path: `/s/${name}`, kind: 'file', size, mtimeMs: 0 });
const vars = (numeric: Record<string, number>, text: Record<string, string> = {}) => ({ numeric, text });

describe('name suggestions', () => {
  it('counts a swap of two neighbours as one edit, and suggests only close names', () => {
    expect(editDistance('fatigeu', 'fatigue')).toBe(1);
    expect(closestName('fatigeu', ['operator', 'fatigue'])).toBe('fatigue');
    expect(closestName('chanels', ['channels'])).toBe('channels');
    expect(closestName('temp', ['fatigue'])).toBeUndefined();
    expect(closestName('ab', ['ac'])).toBeUndefined();
  });

  it('check --schema: an unknown name close to a missing known one gets a "did you mean"', () => {
    const schema = { required: ['fatigue'], fields: { fatigue: { type: 'number' as const, min: 0, max: 10 } } };
    const p = checkVariables('/s/metadata.txt', vars({ fatigeu: 3 }), schema);
    expect(p.map((x) => x.code).sort()).toEqual(['metadata.missing_required', 'metadata.unknown_name']);
    expect(p.find((x) => x.code === 'metadata.unknown_name')).toMatchObject({
      field: 'fatigeu',
      message: 'variable "fatigeu" is not a known name: did you mean "fatigue"?',
      fix: 'rename it to "fatigue" in the metadata file',
    });
    // Reserved names are known without a schema; a name that is present is not suggested.
    expect(checkVariables('/m', vars({ chanels: 2 })).map((x) => x.message)).toEqual(['variable "chanels" is not a known name: did you mean "channels"?']);
    expect(checkVariables('/m', vars({ chanels: 2, channels: 2 }))).toEqual([]);
  });
});

describe('blocking schema rules', () => {
  const schema = {
    required: ['subject_id'],
    fields: { subject_id: { type: 'text' as const, pattern: '^S\\d+$', block: true }, fatigue: { type: 'number' as const, max: 10 } },
  };
  const meta = (text: string) => ({ dir: '/s', name: SESSION, metadataText: text, schema, entries: [file('metadata.txt', text.length), file('a.bin', 4)] });

  it('blocks a session that breaks a rule the lab marks "block", and only warns on the others', () => {
    const blocked = validateFolder(meta('channels: 2\nsubject_id: X1\nfatigue: 3\n'));
    expect(blocked.ok).toBe(false);
    expect(blocked.problems.find((p) => p.code === 'metadata.pattern')).toMatchObject({ severity: 'error', blocking: true });
    expect(formatProblem(blocked.problems.find((p) => p.code === 'metadata.pattern')!)).toContain('the lab schema marks this rule as blocking');
    expect(validateFolder(meta('channels: 2\nfatigue: 3\n')).ok).toBe(false);
    const warned = validateFolder(meta('channels: 2\nsubject_id: S7\nfatigue: 30\n'));
    expect(warned.ok).toBe(true);
    expect(warned.problems.map((p) => [p.code, p.severity])).toEqual([['metadata.range', 'warning']]);
  });

  it('refuses a schema whose "block" is not true or false', () => {
    expect(schemaErrors({ fields: { a: { type: 'number', block: 'yes' } } })).toEqual(['field "a": "block" must be true or false']);
  });
});

describe('data the built-in decoder will not read', () => {
  it('says at check time that the data will not be processed, when the metadata gives no usable layout', () => {
    const text = 'sample_format: int16\n';
    const r = validateFolder({ dir: '/s', name: SESSION, metadataText: text, entries: [file('metadata.txt', text.length), file('a.bin', 8)] });
    expect(r.ok).toBe(true);
    const p = r.problems.find((x) => x.code === 'data.not_decodable')!;
    expect(p).toMatchObject({ severity: 'warning', consequence: 'not_processed' });
    expect(formatProblem(p)).toMatch(/^warning \(data will not be processed\): \/s\/metadata.txt: your data will NOT be processed by the built-in decoder/);
    expect(r.ok && r.session.warnings?.map((w) => w.code)).toContain('data.not_decodable');
  });
});
