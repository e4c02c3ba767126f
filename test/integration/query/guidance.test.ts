/**
 * Answers that guide, through the CLI on the embedded stack (DuckDB): did-you-mean for a
 * misspelt field, an empty result that says why on stderr (and fails with --fail-empty), one
 * type per variable when a session wrote `22,5`, the schema, and case-insensitive matching.
 */
import { spawn } from 'node:child_process';
import { catalogFilesKey, catalogSessionKey } from '../../../src/core/layout.js';
import { BIN, exitOf, runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';

const SESSIONS = [
  { session: '20210201_090000', num: { fatigue_level: 1, temperature_c: 20.5 }, text: { hardware_model: 'NX-100' } },
  { session: '20210202_090000', num: { fatigue_level: 4, temperature_c: 21 }, text: { hardware_model: 'NX-200' } },
  // The rig wrote a decimal comma: kept as text, as the metadata parser keeps it.
  { session: '20210203_090000', num: { fatigue_level: 5 }, text: { hardware_model: 'NX-200', temperature_c: '22,5' } },
];

describe('query answers that guide', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    for (const s of SESSIONS) {
      const ref = { rig: 'rig-a', session: s.session };
      const id = `rig-a/${s.session}`;
      const d = s.session;
      await stack.lake.put(
        catalogSessionKey(ref),
        JSON.stringify({
          session_id: id,
          rig: 'rig-a',
          session: s.session,
          recorded_at: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} 09:00:00`,
          file_count: 1,
          total_bytes: 10,
          num_vars: s.num,
          text_vars: s.text,
          revision: 1,
        }) + '\n',
      );
      const row = {
        session_id: id,
        pipeline: 'default',
        pipeline_version: '1',
        key: `processed/default/1/${id}/a.npy`,
        file: 'a.npy',
        bytes: 10,
        sha256: 'c'.repeat(64),
      };
      await stack.lake.put(catalogFilesKey(ref, 'default', '1'), JSON.stringify(row) + '\n');
    }
  });
  afterAll(() => stack.stop());

  it('suggests fatigue_level for fatige_level (exit 2, one line and a fix)', async () => {
    const r = await runCli(['query', 'fatige_level>=3'], stack.env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown field "fatige_level"; did you mean fatigue_level\?\n {2}fix: .*--fields/m);
  });

  it('reads Fatigue_Level as fatigue_level instead of refusing the filter', async () => {
    const r = await runCli(['--json', 'query', 'Fatigue_Level>=4'], stack.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toHaveLength(2);
  });

  it('says on stderr why nothing matched, with the closest value; --fail-empty exits 1', async () => {
    const r = await runCli(['--json', 'query', 'hardware_model=nx-200'], stack.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
    expect(r.err).toContain('no session has hardware_model=nx-200; did you mean hardware_model=NX-200');
    const failed = await runCli(['query', 'hardware_model=nx-200', '--fail-empty'], stack.env);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/error: nothing matches: no session has hardware_model=nx-200; did you mean hardware_model=NX-200/);
    const range = await runCli(['query', 'fatigue_level>=9', '--format', 'csv'], stack.env);
    expect(range.err).toContain('fatigue_level ranges from 1 to 5');
    const version = await runCli(['query', 'fatigue_level>=1', '--pipeline-version', '2', '--format', 'csv'], stack.env);
    expect(version.err).toMatch(/3 sessions match, but none has outputs of pipeline default version 2; outputs exist for default\/1/);
  });

  it('matches text ignoring case with -i', async () => {
    const r = await runCli(['--json', 'query', '-i', 'hardware_model=nx-200'], stack.env);
    expect(JSON.parse(r.out).map((x: { session: string }) => x.session)).toEqual(['20210202_090000', '20210203_090000']);
  });

  it('keeps one type per variable: listed once, the text value shown as written and found by =', async () => {
    const fields = JSON.parse((await runCli(['--json', 'query', '--fields'], stack.env)).out);
    expect(fields.filter((f: { name: string }) => f.name === 'temperature_c')).toEqual([{ name: 'temperature_c', type: 'number', sessions: 3, otherType: 1 }]);
    const all = JSON.parse((await runCli(['--json', 'query'], stack.env)).out);
    expect(all.map((x: { temperature_c: unknown }) => x.temperature_c)).toEqual([20.5, 21, '22,5']);
    const comma = await runCli(['--json', 'query', 'temperature_c=22,5'], stack.env);
    expect(comma.code).toBe(0);
    expect(JSON.parse(comma.out).map((x: { session: string }) => x.session)).toEqual(['20210203_090000']);
    const numbers = JSON.parse((await runCli(['--json', 'query', 'temperature_c>=21'], stack.env)).out);
    expect(numbers.map((x: { session: string }) => x.session)).toEqual(['20210202_090000']);
  });

  it('shows the tables and columns with --schema and DESCRIBE', async () => {
    const schema = JSON.parse((await runCli(['--json', 'query', '--schema'], stack.env)).out) as { table_name: string; column_name: string }[];
    expect(new Set(schema.map((c) => c.table_name))).toEqual(new Set(['ledger', 'processed_files', 'sessions', 'snapshots']));
    expect(schema.filter((c) => c.table_name === 'sessions').map((c) => c.column_name)).toEqual(
      expect.arrayContaining(['num_vars', 'text_vars', 'revision', 'dt']),
    );
    const d = await runCli(['query', '--sql', 'DESCRIBE processed_files', '--format', 'csv'], stack.env);
    expect(d.code).toBe(0);
    expect(d.out.split('\r\n')[0]).toBe('table_name,column_name,data_type');
    expect(d.out).toContain('processed_files,sha256,VARCHAR');
    const wrong = await runCli(['query', '--sql', 'DESCRIBE session'], stack.env);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('did you mean sessions?');
  });

  it('fits the table to a 0-column terminal and to a narrow one, never failing', async () => {
    for (const cols of ['0', '40']) {
      const r = await runCli(['query', '--format', 'table'], { ...stack.env, COLUMNS: cols });
      expect(r.code).toBe(0);
      const width = Number(cols) || 100;
      expect(Math.max(...r.out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(r.out).toContain('rig-a/20210203_090000');
    }
  });

  it('as installed, on a terminal that reports 0 columns: the default table at a default width, no crash', async () => {
    // util-linux `script` gives the command a real terminal; stty sets it to 0 columns.
    const child = spawn('script', ['-qec', `stty cols 0 rows 0; exec ${process.execPath} ${BIN} query`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', ...stack.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    // A spinner that cannot measure the line clears lines forever: stop it rather than fill memory.
    const take = (d: Buffer) => ((out += String(d)), out.length > 1e6 && child.kill('SIGKILL'));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const status = await exitOf(child);
    const r = { status, stdout: out };
    expect(r.status).toBe(0);
    // eslint-disable-next-line no-control-regex -- the spinner's terminal escapes
    const text = r.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n');
    expect(text).toMatch(/session_id +recorded_at +rig/);
    expect(text).toContain('rig-a/20210203_090000');
    const table = text.split('\n').filter((l) => /^(session_id|rig-a\/)/.test(l));
    expect(Math.max(...table.map((l) => l.trimEnd().length))).toBeLessThanOrEqual(100);
  });

  it('as installed, stops quietly when its reader stops early (query --format csv | head)', async () => {
    const child = spawn(process.execPath, [BIN, 'query', '--format', 'csv'], {
      env: { PATH: process.env.PATH ?? '', ...stack.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone before the first line is written, as `head` is after its lines.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    expect(await exitOf(child)).toBe(0);
    expect(err).not.toMatch(/EPIPE|Unhandled/);
  });
});
