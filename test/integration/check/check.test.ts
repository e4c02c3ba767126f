import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { generateInvalidSessions, generateSession } from '../../../src/features/synthetic/generate.js';
import { tempDir } from '../../helpers/tmp.js';

/** Hash of every name, size, mtime and byte under a folder. */
function fingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const s = statSync(p, { throwIfNoEntry: false });
    h.update(`${name}|${s?.size}|${s?.mtimeMs}|`);
    if (s?.isFile()) h.update(readFileSync(p));
  }
  return h.digest('hex');
}

async function check(dir: string, extra: string[] = [], env: Record<string, string> = {}) {
  const home = tempDir('rp-home-');
  const before = fingerprint(dir);
  const r = await runCli(['--json', 'check', dir, ...extra], { RECPIPE_HOME: home, ...env });
  expect(fingerprint(dir)).toBe(before);
  return { ...r, result: JSON.parse(r.out)[0] as { ok: boolean; problems: { code: string; path: string; message: string; fix: string }[] } };
}

const root = () => tempDir('rp-check-');

describe('recpipe check', () => {
  it('--schema suggests the closest known name for a misspelt one, and a rule marked block blocks', async () => {
    const dir = await generateSession(root(), { name: '20210228_161221', files: 1, bytesPerFile: 8000 });
    writeFileSync(join(dir, 'metadata.txt'), 'channels: 4\nsample_format: int16le\nfatigeu: 3\n');
    const schema = join(tempDir('rp-schema-'), 'lab.json');
    writeFileSync(schema, JSON.stringify({ required: ['fatigue'], fields: { fatigue: { type: 'number', min: 0, max: 10 } } }));
    const home = tempDir('rp-home-');
    const human = await runCli(['check', dir, '--schema', schema], { RECPIPE_HOME: home });
    expect(human.code).toBe(0);
    expect(human.out).toContain('variable "fatigeu" is not a known name: did you mean "fatigue"? (fix: rename it to "fatigue" in the metadata file)');
    writeFileSync(schema, JSON.stringify({ required: ['fatigue'], fields: { fatigue: { type: 'number', block: true } } }));
    const blocked = await check(dir, ['--schema', schema]);
    expect(blocked.code).toBe(1);
    expect(blocked.result.problems.find((p) => p.code === 'metadata.missing_required')).toMatchObject({ severity: 'error', blocking: true });
  });

  it('accepts a valid session and reports its variables', async () => {
    const dir = await generateSession(root(), { name: '20210228_161221', files: 2, bytesPerFile: 8000 });
    const r = await check(dir);
    expect(r.code).toBe(0);
    expect(r.result.ok).toBe(true);
  });

  const cases: [string, (dir: string) => void, string][] = [
    ['an empty metadata file', (d) => writeFileSync(join(d, 'metadata.txt'), ''), 'metadata.missing'],
    ['two metadata files', (d) => writeFileSync(join(d, 'extra.meta'), 'a: 1'), 'metadata.ambiguous'],
    ['a symlink', (d) => symlinkSync('/etc/passwd', join(d, 'link.bin')), 'file.symlink'],
    ['a sub-folder', (d) => mkdirSync(join(d, 'nested')), 'file.directory'],
    ['a name with a newline', (d) => writeFileSync(join(d, 'bad\nname.bin'), 'x'), 'file.bad_name'],
    ['a name with a backslash', (d) => writeFileSync(join(d, 'bad\\name.bin'), 'x'), 'file.bad_name'],
    ['a name with a right-to-left override', (d) => writeFileSync(join(d, 'report\u202Eslx.bin'), 'x'), 'file.bad_name'],
    ['a name with a line separator', (d) => writeFileSync(join(d, 'two\u2028lines.bin'), 'x'), 'file.bad_name'],
  ];
  it.each(cases)('rejects %s with the path and a fix, touching nothing', async (_what, spoil, code) => {
    const dir = await generateSession(root(), { name: '20210228_161221', files: 1, bytesPerFile: 800 });
    spoil(dir);
    const r = await check(dir);
    expect(r.code).toBe(1);
    const p = r.result.problems.find((x) => x.code === code);
    expect(p).toBeDefined();
    expect(p!.path.startsWith(dir)).toBe(true);
    expect(p!.fix.length).toBeGreaterThan(0);
  });

  it('names a hidden character by code point on one line, and blocks the session until the file is renamed', async () => {
    const home = tempDir('rp-home-');
    const dir = await generateSession(root(), { name: '20210228_161221', files: 1, bytesPerFile: 800 });
    writeFileSync(join(dir, 'report\u202Eslx.bin'), 'x');
    const r = await runCli(['check', dir], { RECPIPE_HOME: home });
    expect(r.code).toBe(1);
    const line = r.out.split('\n').find((l) => l.includes('file name'));
    expect(line).toContain('report\\u{202E}slx.bin');
    expect(line).toContain('U+202E (RIGHT-TO-LEFT OVERRIDE)');
    expect(line).toContain('fix: rename the file');
    expect(r.out).not.toContain('\u202E');
  });

  // Content problems warn: the session is still valid and is archived as recorded (core/session/severity.ts).
  const warns: [string, (dir: string) => void, string][] = [
    ['unparseable metadata', (d) => writeFileSync(join(d, 'metadata.txt'), 'this is prose'), 'metadata.bad_line'],
    ['a bad variable name', (d) => writeFileSync(join(d, 'metadata.txt'), 'Fatigue Level: 3'), 'metadata.bad_key'],
    ['an empty data file', (d) => writeFileSync(join(d, 'data_09.bin'), ''), 'file.empty'],
    ['a partial sample frame', (d) => writeFileSync(join(d, 'data_07.bin'), Buffer.alloc(7)), 'data.partial_frame'],
    ['an unknown sample format', (d) => writeFileSync(join(d, 'metadata.txt'), 'channels: 2\nsample_format: int24le\n'), 'metadata.enum'],
  ];
  it.each(warns)('accepts %s with a warning naming the path and a fix', async (_what, spoil, code) => {
    const dir = await generateSession(root(), { name: '20210228_161221', files: 1, bytesPerFile: 800 });
    spoil(dir);
    const r = await check(dir);
    expect(r.code).toBe(0);
    expect(r.result.ok).toBe(true);
    const p = r.result.problems.find((x) => x.code === code);
    expect(p).toMatchObject({ severity: 'warning' });
    expect(p!.path.startsWith(dir)).toBe(true);
    expect(p!.fix.length).toBeGreaterThan(0);
  });

  it('rejects an impossible date, a missing metadata file and a sub-folder (the demo set)', async () => {
    const [badDate, noMeta, nested] = await generateInvalidSessions(root());
    expect((await check(badDate)).result.problems[0].message).toBe('invalid session name "20210229_161221": 2021-02-29 is not a date');
    expect((await check(noMeta)).result.problems.map((p) => p.code)).toContain('metadata.missing');
    expect((await check(nested)).result.problems.map((p) => p.code)).toContain('file.directory');
  });

  it('applies a schema and names a bad schema file', async () => {
    const r0 = root();
    const dir = await generateSession(r0, { name: '20210228_161221', files: 1, bytesPerFile: 800, variables: { fatigue: 9 } });
    writeFileSync(join(r0, 'schema.json'), JSON.stringify({ required: ['operator'], fields: { fatigue: { type: 'number', max: 5 } } }));
    const r = await check(dir, ['--schema', join(r0, 'schema.json')]);
    expect(r.result.problems.map((p) => p.code).sort()).toEqual(['metadata.missing_required', 'metadata.range']);
    writeFileSync(join(r0, 'bad.json'), '{"fields": {"x": {"type": "date"}}}');
    const home = tempDir('rp-home-');
    const bad = await runCli(['check', dir, '--schema', join(r0, 'bad.json')], { RECPIPE_HOME: home });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(join(r0, 'bad.json'));
  });

  it('prints one human line per problem and exits 1 when any folder is invalid', async () => {
    const r0 = root();
    const good = await generateSession(r0, { name: '20210228_161221', files: 1, bytesPerFile: 800 });
    const [badDate] = await generateInvalidSessions(r0);
    const r = await runCli(['check', good, badDate], { RECPIPE_HOME: tempDir('rp-home-') });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ok .*20210228_161221/m);
    expect(r.out).toMatch(/20210229_161221: invalid session name .* \(fix: rename the folder/);
    expect(r.out).toMatch(/1 valid, 1 invalid/);
  });
});
