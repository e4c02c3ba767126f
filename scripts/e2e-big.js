#!/usr/bin/env node
// Issue 11's "Done when": one big session goes rig -> commit -> processed -> pulled on the
// embedded stack, through the real CLI (`recpipe local up`, `recpipe upload`, `recpipe pull`),
// with local processing held to the synthesized template's process-function limits (read from
// the template, checked against the run). Checks every link by SHA-256: the rig files against
// the committed manifest, the provenance's inputs against the manifest, each pulled file against
// the output index. Prints time, peak RSS and /tmp use per step; deletes everything it made.
// Needs `npm run build` and about 4x the session free on the temp folder's disk.
//
//   node scripts/e2e-big.js --mb 600 | --gib 2  [--files 6] [--seed 1]
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onDisk, sha256File, sleep } from './chaos/util.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'bin/recpipe.js');
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const bytes = arg('gib') ? Math.round(arg('gib') * 2 ** 30) : Math.round(arg('mb', 600) * 1e6);
const FILES = arg('files', 6);
const SESSION = '20210301_120000';
const label = arg('gib') ? `${arg('gib')} GiB` : `${arg('mb', 600)} MB`;
const mb = (b) => (b / 1e6).toFixed(0);
const fsFree = () => {
  const s = statfsSync(tmpdir());
  return s.bavail * s.bsize;
};
if (fsFree() < 4.2 * bytes) {
  console.error(
    `e2e-big: not enough free space under ${tmpdir()}: ${mb(fsFree())} MB free, ${mb(4.2 * bytes)} MB needed (rig copy, stored object and its parts, outputs, pulled copy)`,
  );
  process.exit(2);
}

/** The process function's limits as the synthesized template sets them. */
async function templateLimits() {
  const { App } = await import('aws-cdk-lib');
  const { Template } = await import('aws-cdk-lib/assertions');
  const { DEFAULT_INFRA } = await import(join(repo, 'dist/infra/config.js'));
  const { RecpipeStack } = await import(join(repo, 'dist/infra/recpipe-stack.js'));
  // Synthesized into a folder of its own, removed at once (CDK's default is a new temp dir left behind).
  const outdir = mkdtempSync(join(tmpdir(), 'rp-e2e-cdk-'));
  const stack = new RecpipeStack(new App({ outdir }), 'E2eBig', DEFAULT_INFRA, { env: { account: '111122223333', region: 'eu-west-1' }, bundle: false });
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  rmSync(outdir, { recursive: true, force: true });
  const p = Object.entries(fns).find(([id]) => id.includes('ProcessFunction'))[1].Properties;
  return { memoryMb: p.MemorySize, ephemeralStorageMb: p.EphemeralStorage.Size, timeoutSec: p.Timeout };
}

/** `recpipe ARGS` under /usr/bin/time: exit code, wall seconds, peak RSS (MB), output tail. */
function timed(args, env) {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const [, wall, kb] = /TIME ([\d.]+) (\d+)/.exec(out) ?? [];
      resolve({ code, seconds: Number(wall), rssMb: Number(kb) / 1024, out: out.replace(/TIME .*\n?/, ''), tail: out.slice(-800) });
    });
  });
}

const status = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
const peakMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(status(pid))?.[1] ?? NaN) / 1024;
/** Resets the process's peak RSS (Linux: "5" to clear_refs), so the next step's peak is its own. */
const resetPeak = (pid) => {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
};

const limits = await templateLimits();
const { generateSession } = await import(join(repo, 'dist/features/synthetic/generate.js'));
const { createS3Client } = await import(join(repo, 'dist/adapters/s3/client.js'));
const { S3ObjectStore } = await import(join(repo, 'dist/adapters/s3/object-store.js'));
const work = mkdtempSync(join(tmpdir(), 'recpipe-e2e-big-'));
const home = join(work, 'home');
const stackTmp = join(work, 'stack-tmp'); // the stack's os.tmpdir(): /tmp of the process function
mkdirSync(stackTmp);
const env = { ...process.env, RECPIPE_HOME: home };
const rows = [];
const problems = [];
let stack;
let client;
let diskPeak = 0;
const diskTimer = setInterval(() => (diskPeak = Math.max(diskPeak, onDisk(work))), 2000);
try {
  let t = Date.now();
  // Generating samples is slow (~4 MB/s here): each data file is generated at 1/REPEAT of its
  // size and its whole frames repeated REPEAT times, so it stays a valid recording.
  const REPEAT = Math.max(1, Math.ceil(bytes / FILES / 4e6));
  const dir = await generateSession(join(work, 'rig'), { name: SESSION, seed: arg('seed', 1), files: FILES, bytesPerFile: Math.floor(bytes / FILES / REPEAT) });
  const names = readdirSync(dir).sort();
  for (const f of names.filter((n) => n.endsWith('.bin'))) {
    const once = readFileSync(join(dir, f));
    for (let i = 1; i < REPEAT; i++) appendFileSync(join(dir, f), once);
  }
  const total = onDisk(dir);
  console.error(`generated ${names.length} files, ${mb(total)} MB in ${((Date.now() - t) / 1000).toFixed(0)} s`);

  stack = spawn(process.execPath, [bin, 'local', 'up'], { env: { ...env, TMPDIR: stackTmp }, stdio: 'ignore' });
  const info = join(home, 'local', 'stack.json');
  for (let i = 0; !(existsSync(info) && JSON.parse(readFileSync(info, 'utf8')).pid === stack.pid); i++) {
    if (i > 600 || stack.exitCode !== null) throw new Error('the stack did not start within 60 s');
    await sleep(100);
  }
  const s = JSON.parse(readFileSync(info, 'utf8'));
  client = createS3Client({ region: s.region, endpoint: s.s3, credentials: s.credentials });
  const raw = new S3ObjectStore(client, s.buckets.raw);
  const lake = new S3ObjectStore(client, s.buckets.lake);

  // 1. rig -> commit
  const up = await timed(['upload', dir], env);
  rows.push({ step: 'upload (rig -> commit)', seconds: up.seconds, rss: up.rssMb, stackRss: peakMb(stack.pid), tmp: '-' });
  if (up.code !== 0) throw new Error(`upload exited ${up.code}: ${up.tail}`);
  const manifest = JSON.parse(String(await raw.get(`raw/local-rig/${SESSION}/_manifest.json`)));
  for (const f of names) {
    const entry = manifest.files.find((m) => m.name === f);
    if (entry?.sha256 !== (await sha256File(join(dir, f)))) problems.push(`${f}: the manifest's SHA-256 is not the rig file's`);
  }

  // 2. commit -> processed, in the stack under PROCESS_LIMITS (the template's numbers)
  const canReset = resetPeak(stack.pid);
  t = Date.now();
  let tmpPeak = 0;
  let ledger;
  const ledgerKey = `catalog/ledger/default/1/local-rig__${SESSION}.json`;
  while ((ledger = (await lake.head(ledgerKey)) ? JSON.parse(String(await lake.get(ledgerKey))) : undefined)?.state !== 'done') {
    if (['dead', 'incomplete'].includes(ledger?.state) || Date.now() - t > limits.timeoutSec * 1000 * 3)
      throw new Error(`processing ended ${ledger?.state ?? 'not started'}: ${ledger?.last_error ?? ''}`);
    tmpPeak = Math.max(tmpPeak, onDisk(stackTmp));
    await sleep(200);
  }
  const processSec = (Date.parse(ledger.finished_at) - Date.parse(ledger.started_at)) / 1000;
  const processRss = peakMb(stack.pid);
  rows.push({ step: `processing (attempt ${ledger.attempts})`, seconds: processSec, rss: '-', stackRss: canReset ? processRss : NaN, tmp: tmpPeak });
  if (processSec > limits.timeoutSec) problems.push(`processing took ${processSec} s, over the template's ${limits.timeoutSec} s timeout`);
  if (tmpPeak > limits.ephemeralStorageMb * 1e6)
    problems.push(`processing used ${mb(tmpPeak)} MB of /tmp, over the template's ${limits.ephemeralStorageMb} MB`);
  if (canReset && processRss > limits.memoryMb)
    problems.push(`the stack peaked at ${processRss.toFixed(0)} MB while processing, over the template's ${limits.memoryMb} MB`);

  // 3. processed -> pulled
  const q = await timed(['--json', 'query'], env);
  const files = JSON.parse(q.out.slice(q.out.indexOf('[')));
  const dest = join(work, 'pulled');
  const pull = await timed(['pull', '--dest', dest], env);
  rows.push({ step: 'pull', seconds: pull.seconds, rss: pull.rssMb, stackRss: '-', tmp: '-' });
  if (pull.code !== 0) throw new Error(`pull exited ${pull.code}: ${pull.tail}`);
  let pulledBytes = 0;
  for (const f of files) {
    const path = join(dest, f.rig, f.session, f.pipeline, f.pipeline_version, f.file);
    if (!existsSync(path)) problems.push(`${path}: not pulled`);
    else if ((await sha256File(path)) !== f.sha256) problems.push(`${path}: SHA-256 differs from the output index`);
    else pulledBytes += f.bytes;
  }
  const prov = files.find((f) => f.file === '_provenance.json');
  const inputs = prov ? JSON.parse(readFileSync(join(dest, prov.rig, prov.session, prov.pipeline, prov.pipeline_version, prov.file), 'utf8')).inputs : [];
  for (const m of manifest.files)
    if (!inputs.some((i) => i.name === m.name && i.sha256 === m.sha256)) problems.push(`${m.name}: processed from other bytes than the manifest pins`);

  console.log(
    `e2e-big: one ${label} session (${names.length} files, ${mb(total)} MB) rig -> commit -> processed -> pulled on the embedded stack, ${new Date().toISOString()}`,
  );
  console.log(
    `process function limits from the synthesized template: memory ${limits.memoryMb} MB, /tmp ${limits.ephemeralStorageMb} MB, timeout ${limits.timeoutSec} s`,
  );
  console.log('step                          seconds  peak RSS MB  stack peak RSS MB  /tmp peak MB');
  const n = (v, d = 0) => (typeof v === 'number' ? (Number.isNaN(v) ? '?' : v.toFixed(d)) : v);
  for (const r of rows)
    console.log(
      `${r.step.padEnd(28)} ${n(r.seconds, 1).padStart(8)} ${n(r.rss).padStart(12)} ${n(r.stackRss).padStart(18)} ${(typeof r.tmp === 'number' ? mb(r.tmp) : r.tmp).padStart(13)}`,
    );
  console.log(`pulled ${files.length} files, ${mb(pulledBytes)} MB, each verified against the index; disk peak of the run ${mb(diskPeak)} MB`);
} catch (e) {
  problems.push(e instanceof Error ? e.message : String(e));
} finally {
  clearInterval(diskTimer);
  client?.destroy();
  if (stack && stack.exitCode === null) {
    stack.kill('SIGTERM');
    await new Promise((r) => stack.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
}
console.log(problems.length === 0 ? 'OK: every link verified by SHA-256, processing within the template limits' : `FAILED:\n  ${problems.join('\n  ')}`);
process.exitCode = problems.length === 0 ? 0 : 1;
