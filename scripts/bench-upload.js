#!/usr/bin/env node
// Upload benchmark: a 600 MB session (6 files x 100 MB) through the recpipe API to a loopback
// S3 sink (scripts/bench-sink.js), side by side with `rclone copy` and aws-cli v2's
// `aws s3 cp --recursive` (/usr/bin/aws) against the same sink, each with its defaults, round
// robin. The sink can model a network and a busy S3 with the flags of scripts/lib/shape.js (the
// same model bench-pull.js serves with): --ttfb-ms, --connect-ms, --conn-mbps, --link-mbps, --slowdown-share,
// --reset-share, --tls. Prints wall time, MB/s, client CPU seconds (and per GB) and peak RSS
// (from /usr/bin/time) for each, then the issue-15 targets with pass/fail. --baseline DIR adds
// another build of recpipe (to compare CPU per GB across versions) with its own API (that
// build's dist/local/local-api.js: each build is measured with the API it speaks to);
// --rclone-nocheck adds rclone with --ignore-checksum. Needs `npm run build` first.
// --api-ms N puts a proxy in front of each API that holds every answer N ms (an API in a distant
// AWS region; over https with --tls), and the script reports each build's API calls per GiB and
// the connections it opened to the API (issue 30); a run uses the token the run before it kept
// (`recpipe upload` keeps it), --cold-token removes it first. The machine's load (`uptime`) is printed with
// the figures: on a shared machine compare ratios within one run.
//
//   node scripts/bench-upload.js [--runs 5] [--warmup 1] [--files 6] [--file-mb 100] [--concurrency N] [--part-size-mib N] (unset: recpipe's defaults)
//     [--ttfb-ms 30] [--connect-ms 60] [--conn-mbps 25] [--link-mbps 400] [--slowdown-share 0.05] [--reset-share 0.02] [--tls]
//     [--api-ms 150] [--cold-token] [--baseline DIR] [--rclone-nocheck] [--cpu-prof DIR]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeShape, isShaped, shapeFromArgv, shapeToArgv } from './lib/shape.js';
import { pointHomeAt } from './lib/bench-home.js';
import { delayedApi } from './lib/api-delay.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const shape = shapeFromArgv(process.argv);
const ca = join(repo, 'test', 'fixtures', 'tls', 'cert.pem');
// The in-process API talks to the sink too: over TLS it must trust the test CA from the start.
if (shape.tls && process.env.NODE_EXTRA_CA_CERTS !== ca) {
  const r = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
  process.exit(r.status ?? 1);
}
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 5);
// Unmeasured rounds first, so that no tool pays for cold caches or a first start.
const WARMUP = arg('warmup', 1);
const FILES = arg('files', 6);
const FILE_MB = arg('file-mb', 100);
// Unset: recpipe's own default.
const CONCURRENCY = arg('concurrency', undefined);
const PART_MIB = arg('part-size-mib', undefined);
const API_MS = arg('api-ms', 0);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const { generateSession } = await import(join(repo, 'dist/features/synthetic/generate.js'));
const { createS3Client } = await import(join(repo, 'dist/adapters/s3/client.js'));
const { S3ObjectStore } = await import(join(repo, 'dist/adapters/s3/object-store.js'));
const { nullLogger } = await import(join(repo, 'dist/adapters/log/file-logger.js'));

// 1. The session, cached between runs.
const cache = join(tmpdir(), 'recpipe-bench-upload');
const dir = join(cache, '20210301_120000');
const fileBytes = FILE_MB * 1e6;
if (!existsSync(join(dir, `data_${String(FILES - 1).padStart(2, '0')}.bin`)) || statSync(join(dir, 'data_00.bin')).size < fileBytes - 16) {
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`generating ${FILES} x ${FILE_MB} MB under ${dir}\n`);
  await generateSession(cache, { name: '20210301_120000', files: FILES, bytesPerFile: fileBytes, seed: 42 });
}
const totalBytes =
  Array.from({ length: FILES }, (_, i) => statSync(join(dir, `data_${String(i).padStart(2, '0')}.bin`)).size).reduce((a, b) => a + b, 0) +
  statSync(join(dir, 'metadata.txt')).size;

// 2. The sink, in its own process.
const sink = spawn(process.execPath, [join(here, 'bench-sink.js'), ...shapeToArgv(shape)], { stdio: ['ignore', 'pipe', 'inherit'] });
const sinkUrl = await new Promise((resolve) => sink.stdout.once('data', (d) => resolve(JSON.parse(String(d)).url)));
const reset = async () => (await fetch(`${sinkUrl}/__reset`, { method: 'POST' })).json();

// 3. The recpipe API of each build, signing URLs for the sink, behind the delay proxy.
const credentials = { accessKeyId: 'BENCH', secretAccessKey: 'bench-secret' };
const client = createS3Client({ region: 'us-east-1', endpoint: sinkUrl, credentials });
const buckets = { raw: 'recpipe-raw', lake: 'recpipe-lake' };
const tlsDir = join(repo, 'test', 'fixtures', 'tls');
const stacks = [];
/** A RECPIPE_HOME whose API is `build`'s own, behind the proxy. */
async function apiFor(build) {
  // composition/local-api.js since issue 29; local/local-api.js in older builds (a --baseline).
  const at = ['dist/composition/local-api.js', 'dist/local/local-api.js'].map((f) => join(build, f)).find((f) => existsSync(f));
  const { buildLocalApi } = await import(at);
  const home = mkdtempSync(join(tmpdir(), 'recpipe-bench-home-'));
  const api = await buildLocalApi({ home, client, raw: new S3ObjectStore(client, buckets.raw), buckets, logger: nullLogger, rig: 'bench-rig' });
  const proxy = await delayedApi(api.url, { ms: API_MS, tls: shape.tls, tlsDir });
  pointHomeAt(home, { api: proxy.url, s3: sinkUrl, buckets, credentials });
  const stack = { home, api, proxy };
  stacks.push(stack);
  return stack;
}

/** Runs a command under /usr/bin/time; returns wall s, CPU s, peak RSS MB. */
// Asynchronous on purpose: the API under test runs in this process's event loop.
async function timed(cmd, args, env) {
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise((resolve) => child.on('exit', resolve));
  const last = stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, rssKb] = last.split(' ').map(Number);
  if (status !== 0 || !Number.isFinite(wall)) throw new Error(`${cmd} failed (${status}): ${stderr.slice(-800)}`);
  return { wall, cpu: user + sys, rssMb: rssKb / 1024 };
}

const baseEnv = { ...process.env };
delete baseEnv.AWS_CA_BUNDLE;
// --cpu-prof DIR: each recpipe run writes a V8 CPU profile there (the API's CPU is this process's:
// run the script itself with `node --cpu-prof` to see it).
const profDir = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
// --cold-token: every recpipe run authenticates (the token kept by the run before is removed),
// as the first run of the day does; by default a run uses the token the previous run kept.
const coldToken = process.argv.includes('--cold-token');
const recpipe = (build, stack) => () => {
  rmSync(join(stack.home, 'journal'), { recursive: true, force: true });
  if (coldToken) rmSync(join(stack.home, 'tokens'), { recursive: true, force: true });
  const flags = [...(CONCURRENCY ? ['--concurrency', String(CONCURRENCY)] : []), ...(PART_MIB ? ['--part-size-mib', String(PART_MIB)] : [])];
  const prof = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  return timed(process.execPath, [...prof, join(build, 'bin/recpipe.js'), 'upload', dir, ...flags], {
    ...baseEnv,
    RECPIPE_HOME: stack.home,
    ...(process.env.BENCH_VERBOSE ? { RECPIPE_LOG_LEVEL: 'debug' } : {}),
    ...(shape.tls ? { NODE_EXTRA_CA_CERTS: ca } : {}),
  });
};
/** BENCH_VERBOSE: the batches a recpipe run asked for (from its debug log), then the log is emptied. */
function batchesOf(stack) {
  const log = join(stack.home, 'logs', 'recpipe.log');
  if (!existsSync(log)) return [];
  const lines = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"upload.batch"'));
  rmSync(log, { force: true });
  return lines.map((l) => JSON.parse(l)).map((e) => `#${e.call}: ${e.files} (${e.ms} ms; ${e.waited} URL(s) waited for when asked)`);
}
const tools = [{ name: 'recpipe upload', stack: await apiFor(repo) }];
tools[0].run = recpipe(repo, tools[0].stack);
// --baseline DIR: another build of recpipe (e.g. `git archive <commit>` built in DIR), to compare versions in one run.
const baseline = process.argv.includes('--baseline') ? process.argv[process.argv.indexOf('--baseline') + 1] : undefined;
if (baseline) {
  const stack = await apiFor(baseline);
  tools.push({ name: 'recpipe, baseline build', stack, run: recpipe(baseline, stack) });
}
const tlsArgs = (flag) => (shape.tls ? [flag, ca] : []);
const which = (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const rcloneEnv = {
  RCLONE_CONFIG_SINK_TYPE: 's3',
  RCLONE_CONFIG_SINK_PROVIDER: 'Other',
  RCLONE_CONFIG_SINK_ACCESS_KEY_ID: 'x',
  RCLONE_CONFIG_SINK_SECRET_ACCESS_KEY: 'y',
  RCLONE_CONFIG_SINK_REGION: 'us-east-1',
};
if (which('rclone')) {
  // Default settings: rclone verifies each file by its MD5 ETag.
  tools.push({
    name: 'rclone copy',
    run: () =>
      timed('rclone', ['copy', ...tlsArgs('--ca-cert'), dir, 'sink:recpipe-raw/rclone/', '--no-check-dest'], {
        ...baseEnv,
        ...rcloneEnv,
        RCLONE_CONFIG_SINK_ENDPOINT: sinkUrl,
      }),
  });
  // Without the post-upload check: the fastest rclone can go here.
  if (process.argv.includes('--rclone-nocheck'))
    tools.push({
      name: 'rclone --ignore-checksum',
      run: () =>
        timed('rclone', ['copy', ...tlsArgs('--ca-cert'), dir, 'sink:recpipe-raw/rclone/', '--no-check-dest', '--ignore-checksum'], {
          ...baseEnv,
          ...rcloneEnv,
          RCLONE_CONFIG_SINK_ENDPOINT: sinkUrl,
        }),
    });
}
// aws-cli v2 (the `aws` on PATH may be another version).
const aws = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined;
if (aws) {
  tools.push({
    name: 'aws s3 cp --recursive',
    run: () =>
      timed(aws, ['s3', 'cp', '--recursive', '--only-show-errors', ...tlsArgs('--ca-bundle'), dir, 's3://recpipe-raw/awscli/', '--endpoint-url', sinkUrl], {
        ...baseEnv,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
const faults = { slowdowns: 0, resets: 0 };
try {
  // Round robin, each round starting one tool later, so that a slow spell of the machine (or
  // what a run leaves to the next) falls on every tool alike.
  const runs = tools.map(() => []);
  for (let i = -WARMUP; i < RUNS; i++) {
    for (let k = 0; k < tools.length; k++) {
      const j = (((i + k) % tools.length) + tools.length) % tools.length;
      await reset();
      tools[j].stack?.proxy.take();
      const before = load();
      const r = await tools[j].run();
      const api = tools[j].stack?.proxy.take();
      Object.assign(r, { api, load: before });
      const { received, slowdowns, resets, peakPuts, connections } = await reset();
      faults.slowdowns += slowdowns;
      faults.resets += resets;
      if (received < totalBytes) throw new Error(`${tools[j].name}: the sink received ${received} of ${totalBytes} bytes`);
      if (i < 0) continue;
      runs[j].push(r);
      if (process.env.BENCH_VERBOSE && tools[j].stack) for (const b of batchesOf(tools[j].stack)) console.error(`  batch ${b}`);
      if (process.env.BENCH_VERBOSE)
        console.error(
          `round ${i + 1}: ${tools[j].name} ${r.wall.toFixed(2)} s, ${r.cpu.toFixed(2)} CPU s, at most ${peakPuts} PUTs at once, ${connections} new connections${api ? `, API ${api.total} calls ${JSON.stringify(api.calls)} over ${api.connections} connection(s)` : ''}, load ${before}`,
        );
    }
  }
  for (const [j, tool] of tools.entries()) {
    const w = runs[j].map((r) => r.wall);
    results.push({
      name: tool.name,
      wall: median(w),
      best: Math.min(...w),
      cpu: median(runs[j].map((r) => r.cpu)),
      rssMb: Math.max(...runs[j].map((r) => r.rssMb)),
      apiCalls: runs[j][0]?.api ? median(runs[j].map((r) => r.api.total)) : undefined,
      apiConnections: runs[j][0]?.api ? Math.max(...runs[j].map((r) => r.api.connections)) : undefined,
      loads: runs[j].map((r) => r.load.split(' ')[0]),
    });
  }
} finally {
  sink.kill('SIGTERM');
  for (const st of stacks) {
    await st.proxy.close();
    await st.api.close();
    rmSync(st.home, { recursive: true, force: true });
  }
  client.destroy();
}

const mine = results[0];
const gb = totalBytes / 1e9;
console.log(
  `upload of ${(totalBytes / 1e6).toFixed(0)} MB (${FILES} files) to a loopback S3 sink (${describeShape(shape)}), API answers held ${API_MS} ms${shape.tls ? ' (https)' : ''}, median and best of ${RUNS} runs after ${WARMUP} warm-up round(s), round robin, ${new Date().toISOString()}, load average at the end ${load()}`,
);
if (shape.slowdownShare || shape.resetShare)
  console.log(`over all runs the sink answered ${faults.slowdowns} PUTs with 503 SlowDown and reset ${faults.resets} connections mid-body`);
console.log('tool                     wall s  best s    MB/s   CPU s  CPU s/GB  peak RSS MB  recpipe speed-up (median, best)');
for (const r of results) {
  const speedup = r === mine ? '' : `${(r.wall / mine.wall).toFixed(2)}x, ${(r.best / mine.best).toFixed(2)}x`;
  console.log(
    `${r.name.padEnd(24)} ${r.wall.toFixed(2).padStart(6)} ${r.best.toFixed(2).padStart(7)} ${(totalBytes / 1e6 / r.wall).toFixed(0).padStart(7)} ${r.cpu.toFixed(2).padStart(7)} ${(r.cpu / gb).toFixed(2).padStart(9)} ${r.rssMb.toFixed(0).padStart(12)}  ${speedup}`,
  );
}
for (const r of results) {
  if (r.apiCalls === undefined) continue;
  console.log(
    `${r.name}: ${r.apiCalls} API calls (median), ${(r.apiCalls / (totalBytes / 1024 ** 3)).toFixed(1)} per GiB, over at most ${r.apiConnections} connection(s); load (1 min) at each run's start: ${r.loads.join(', ')}`,
  );
}
console.log('recpipe hashes every file (SHA-256 whole file + CRC32C per part); its URLs come from the API (in batches since issue 30).');
// The issue-15 targets (docs/performance.md): printed, not asserted by any test.
const peer = (prefix) => results.find((r) => r.name.startsWith(prefix));
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
console.log('targets:');
for (const [p, label] of [
  ['rclone copy', 'rclone'],
  ['aws s3 cp', 'aws-cli v2'],
]) {
  const r = peer(p);
  if (!r) continue;
  const need = isShaped(shape) ? 1.2 : label === 'rclone' ? 1.5 : 0;
  if (need)
    console.log(
      `  ${verdict(r.wall / mine.wall >= need)}  ${isShaped(shape) ? 'shaped' : 'loopback'}: recpipe >= ${need}x ${label} (median): ${(r.wall / mine.wall).toFixed(2)}x`,
    );
}
console.log(`  ${verdict(mine.rssMb <= 200)}  peak RSS <= 200 MB: ${mine.rssMb.toFixed(0)} MB here (the 5 GiB file: scripts/bench-big-upload.js)`);
if (mine.apiCalls !== undefined)
  console.log(
    `  ${verdict(mine.apiCalls / (totalBytes / 1024 ** 3) <= 10)}  API calls per GiB <= 10: ${(mine.apiCalls / (totalBytes / 1024 ** 3)).toFixed(1)}`,
  );
if (API_MS >= 150 && isShaped(shape))
  for (const [p, need] of [
    ['aws s3 cp', 1.3],
    ['rclone copy', 1.5],
  ]) {
    const r = peer(p);
    if (r)
      console.log(
        `  ${verdict(r.wall / mine.wall >= need)}  issue 30, API ${API_MS} ms: recpipe >= ${need}x ${p.split(' ')[0]} (median): ${(r.wall / mine.wall).toFixed(2)}x`,
      );
  }
const base = peer('recpipe, baseline');
console.log(
  `  ${base ? verdict(mine.cpu <= base.cpu * 1.05) : 'INFO'}  client CPU per GB: ${(mine.cpu / gb).toFixed(2)} s${base ? ` (baseline build ${(base.cpu / gb).toFixed(2)} s; within 5 %)` : ' (--baseline DIR compares with another build)'}`,
);
