/**
 * `recpipe demo`: the whole pipeline on the embedded stack, on synthetic sessions, in about
 * a minute. Every step checks that it did what it says; the exit code is 0 only if all did.
 */
import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandResult, Runtime } from '../context.js';
import { loadConfig } from '../../config/load.js';
import { startLocalStack } from '../../composition/local-stack.js';
import { startLocalProcessing } from '../../features/process/local-consumer.js';
import { generateInvalidSessions, generateSession } from '../../features/synthetic/generate.js';
import { validateSessionDir, formatProblem } from '../../features/session/validate-session-dir.js';
import { uploadSession } from '../../features/ingest/upload-session.js';
import { JournalStore } from '../../adapters/fs/journal-store.js';
import { PutTransport } from '../../features/ingest/put-transport.js';
import { TokenSource } from '../../features/ingest/token-source.js';
import { runQuery } from '../../features/query/run-query.js';
import { pullFiles } from '../../features/pull/pull-files.js';
import type { FlagsOf } from '../flags/table.js';

const SESSIONS = [
  { name: '20210201_093000', fatigue: 2, hardware_model: 'NX-100', notes: 'clean run' },
  { name: '20210203_141500', fatigue: 4, hardware_model: 'NX-200', notes: 'slight drift on ch2' },
  { name: '20210208_101000', fatigue: 3, hardware_model: 'NX-200', notes: 'cable replaced mid-session' },
  { name: '20210215_160000', fatigue: 5, hardware_model: 'QX-7', notes: 'subject restless' },
];
const FILTER = ['fatigue>=3', 'hardware_model=NX-200'];

export async function runDemo(rt: Runtime, opts: FlagsOf<'demo'>): Promise<CommandResult> {
  const home = rt.io.env.RECPIPE_HOME || mkdtempSync(join(tmpdir(), 'recpipe-demo-'));
  const config = loadConfig({ env: { ...rt.io.env, RECPIPE_HOME: home, RECPIPE_PROFILE: 'local' } }).config;
  const r = rt.reporter;
  const checks: { step: string; ok: boolean; detail: string }[] = [];
  const check = (step: string, ok: boolean, detail: string) => {
    checks.push({ step, ok, detail });
    if (ok) r.succeed(`${step}: ${detail}`);
    else r.fail(`${step}: ${detail}`);
  };
  r.step(`starting the embedded stack under ${home}`);
  const stack = await startLocalStack({ config, logger: rt.logger, startProcessing: (d) => startLocalProcessing({ ...d, retryBaseMs: 200 }) });
  check('local stack', true, `api ${stack.info.api}, s3 ${stack.info.s3}`);
  // The demo's profile (its own home) over the stack just started; released before the stack stops.
  const services = rt.services(config);
  try {
    const root = join(home, 'rig-data');
    r.step('recording synthetic sessions');
    const bytes = opts.sizeKb * 1024;
    for (const [i, s] of SESSIONS.entries()) {
      await generateSession(root, {
        name: s.name,
        seed: i + 1,
        files: 3,
        bytesPerFile: bytes,
        variables: { fatigue: s.fatigue, hardware_model: s.hardware_model, notes: s.notes },
      });
    }
    const [invalid] = await generateInvalidSessions(root);
    const dirs = (await readdir(root)).sort().map((n) => join(root, n));
    check('record', dirs.length >= SESSIONS.length + 1, `${SESSIONS.length} sessions of 3 x ${(bytes / 1024).toFixed(0)} KB + invalid ones in ${root}`);

    r.step('validating every folder (as `recpipe check` and `watch` do)');
    const valid = [];
    const rejected: string[] = [];
    for (const dir of dirs) {
      const v = await validateSessionDir(dir);
      if (v.ok) valid.push(v.session);
      else rejected.push(...v.problems.filter((p) => p.severity === 'error').map(formatProblem));
    }
    for (const line of rejected) r.info(`  ${line}`);
    check(
      'validate',
      valid.length === SESSIONS.length && rejected.some((l) => l.includes(invalid)),
      `${valid.length} valid, ${dirs.length - valid.length} rejected and left untouched`,
    );

    r.step(`uploading ${valid.length} sessions through the API`);
    const { api, apiKey, close } = await services.ingestApi();
    const transport = new PutTransport();
    const deps = {
      api,
      apiKey,
      journals: new JournalStore(home, rt.logger),
      transport,
      reporter: r,
      logger: rt.logger,
      signal: rt.signal,
      tokens: new TokenSource(api, apiKey),
    };
    let sent = 0;
    try {
      for (const s of valid) sent += (await uploadSession(s, deps, { partSize: 5 * 1024 * 1024, multipartThreshold: 1024 * 1024, concurrency: 4 })).bytesSent;
    } finally {
      transport.close();
      close();
    }
    check('upload', sent === valid.reduce((n, s) => n + s.totalBytes, 0), `${valid.length} sessions, ${(sent / 1e6).toFixed(1)} MB, checksummed end to end`);

    r.step('processing: verify, register, decode, index (triggered by each manifest)');
    await stack.idle();
    const status = await runQuery(services.openEngine, config, { filters: [], sql: 'SELECT state, count(*) AS n FROM ledger GROUP BY state' });
    const done = Number(status.rows.find((x) => x.state === 'done')?.n ?? 0);
    check('process', done === valid.length, `${done} of ${valid.length} sessions done`);

    r.step(`querying: ${FILTER.join(' ')}`);
    const q = await runQuery(services.openEngine, config, { filters: FILTER });
    const expected = SESSIONS.filter((s) => s.fatigue >= 3 && s.hardware_model === 'NX-200').map((s) => `local-rig/${s.name}`);
    const got = [...new Set(q.files.map((f) => f.session_id))];
    check('query', JSON.stringify(got) === JSON.stringify(expected), `${got.length} sessions, ${q.files.length} preprocessed files (${got.join(', ')})`);

    r.step('pulling the result onto this machine (as an EC2 node would)');
    const { lake } = await services.storage();
    const dest = join(home, 'pulled');
    const p = await pullFiles(q.files, dest, { lake, reporter: r, logger: rt.logger }, { concurrency: 4, dryRun: false });
    check('pull', p.downloaded === q.files.length, `${p.downloaded} files verified by SHA-256 into ${dest}`);
  } finally {
    services.close();
    r.step('stopping the embedded stack');
    await stack.close();
    r.succeed('stopped');
  }
  const ok = checks.every((c) => c.ok);
  const human = [
    ...checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.step.padEnd(12)} ${c.detail}`),
    ok ? `demo passed; everything is under ${home}` : 'demo FAILED: see the lines above',
  ].join('\n');
  if (!ok) rt.logger.log('error', 'demo.failed', { checks });
  return { data: { ok, home, checks }, human, exitCode: ok ? 0 : 1 };
}
