/**
 * From a researcher's notebook: query output in every format carries the session variables,
 * `--fields` lists them, CSV and JSON load with pandas as they are, and recpipe-pull.json carries
 * each file's variables. The pandas check runs when a python3 with pandas is installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { runCli } from '../../helpers/cli.js';
import { FIXTURE, writeCatalog } from '../../helpers/catalog-fixture.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A python3 that can import pandas, if this machine has one. */
function pandasPython(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0);
}

describe('query and pull output for researchers', () => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    dir = mkdtempSync(join(tmpdir(), 'rp-researcher-'));
    await writeCatalog(stack.lake);
    // Real objects behind the fixture index rows, so pull can download and verify them.
    for (const f of FIXTURE) {
      const id = `${f.rig}/${f.session}`;
      const rows = [];
      for (const file of ['data_00.npy', 'data_00.stats.json']) {
        const body = Buffer.from(`${id}/${file}`);
        const key = `processed/default/1/${id}/${file}`;
        await stack.lake.put(key, body);
        rows.push({ session_id: id, pipeline: 'default', pipeline_version: '1', key, file, bytes: body.length, sha256: sha(body), created_at: '' });
      }
      await stack.lake.put(
        `catalog/files/dt=${f.session.slice(0, 4)}-${f.session.slice(4, 6)}-${f.session.slice(6, 8)}/${f.rig}__${f.session}__default__1.json`,
        rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
      );
    }
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('JSON is an array of flat records, one per file, with every variable as a typed column', async () => {
    const r = await runCli(['query', 'fatigue>=4', '--format', 'json'], stack.env);
    expect(r.code).toBe(0);
    const records = JSON.parse(r.out);
    expect(records).toHaveLength(4);
    expect(records[0]).toMatchObject({
      session_id: 'rig-b/20210210_120000',
      fatigue: 4,
      temperature_c: null,
      hardware_model: 'NX-200',
      bytes: expect.any(Number),
      warning_count: 0,
    });
    const picked = JSON.parse((await runCli(['query', 'fatigue>=4', '--format', 'json', '--columns', 'hardware_model'], stack.env)).out);
    expect(Object.keys(picked[0]).slice(-2)).toEqual(['revision', 'hardware_model']);
    const bad = await runCli(['query', '--columns', 'nope'], stack.env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown variable "nope"');
  });

  it('the table has one row per session (the variables asked for), --files one per file; CSV shows every variable', async () => {
    const table = await runCli(['query', 'fatigue>=4', '--format', 'table'], stack.env);
    const lines = table.out.trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['session_id', 'recorded_at', 'rig', 'fatigue', 'files', 'size']);
    expect(lines.slice(2, -1)).toEqual([
      expect.stringMatching(/^rig-b\/20210210_120000 .* 4 +2 +\d+ B$/),
      expect.stringMatching(/^rig-b\/20210301_080000 .* 5 +2/),
    ]);
    const wide = await runCli(['query', '--format', 'table'], { ...stack.env, COLUMNS: '200' });
    expect(wide.out.split('\n')[0]).toMatch(/fatigue +hardware_model +notes +temperature_c +files +size/);
    const files = await runCli(['query', 'fatigue>=4', '--format', 'table', '--files'], { ...stack.env, COLUMNS: '300' });
    expect(files.out.trim().split('\n')).toHaveLength(2 + 4 + 1);
    expect(files.out.split('\n')[0]).toMatch(/^session_id +recorded_at +key +bytes +warning_count +fatigue/);
    const csv = (await runCli(['query', '--format', 'csv'], stack.env)).out.split('\r\n');
    expect(csv[0]).toBe(
      'session_id,rig,session,recorded_at,pipeline,pipeline_version,key,file,bytes,sha256,warning_count,revision,fatigue,hardware_model,notes,temperature_c',
    );
    expect(csv).toHaveLength(8 + 2);
  });

  it('--fields lists the known variables with type and the number of sessions defining each', async () => {
    const r = await runCli(['query', '--fields', '--format', 'json'], stack.env);
    expect(JSON.parse(r.out)).toEqual([
      { name: 'fatigue', type: 'number', sessions: 4, otherType: 0 },
      { name: 'hardware_model', type: 'text', sessions: 4, otherType: 0 },
      { name: 'notes', type: 'text', sessions: 4, otherType: 0 },
      { name: 'temperature_c', type: 'number', sessions: 3, otherType: 0 },
    ]);
  });

  it("recpipe-pull.json carries each file's session variables", async () => {
    const dest = join(dir, 'pulled');
    expect((await runCli(['pull', 'hardware_model=QX-7', '--dest', dest], stack.env)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dest, 'recpipe-pull.json'), 'utf8'));
    expect(manifest.files).toHaveLength(2);
    expect(manifest.files[0].variables).toEqual({ fatigue: 5, temperature_c: 25, hardware_model: 'QX-7', notes: '100% done_ok' });
  });

  it('CSV and JSON load with pandas as they are, one row per file, typed columns', async () => {
    const py = pandasPython();
    if (!py) {
      console.warn('skipped: no python3 with pandas here (apt-get install python3-pandas to run it)');
      return;
    }
    writeFileSync(join(dir, 'q.csv'), (await runCli(['query', '--format', 'csv'], stack.env)).out);
    writeFileSync(join(dir, 'q.json'), (await runCli(['query', '--format', 'json'], stack.env)).out);
    const script = `import json, sys, pandas as pd
out = {}
for name, df in (("csv", pd.read_csv(sys.argv[1])), ("json", pd.read_json(sys.argv[2]))):
    out[name] = {"rows": len(df), "dtypes": {c: df[c].dtype.kind for c in df.columns}}
print(json.dumps(out))`;
    const r = spawnSync(py, ['-c', script, join(dir, 'q.csv'), join(dir, 'q.json')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const loaded = JSON.parse(r.stdout);
    for (const fmt of ['csv', 'json']) {
      expect(loaded[fmt].rows).toBe(8);
      const k = loaded[fmt].dtypes;
      expect([k.bytes, k.warning_count, k.fatigue]).toEqual(['i', 'i', 'i']);
      expect(k.temperature_c).toBe('f');
      expect([k.hardware_model, k.notes, k.session_id, k.key]).toEqual(['O', 'O', 'O', 'O']);
    }
  });
});
