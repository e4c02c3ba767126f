#!/usr/bin/env node
// Watch daemon benchmark, against an in-process local stack:
//  1. idle CPU and RSS of `recpipe watch` over --idle-sec seconds with --sessions uploaded folders
//  2. latency from a session becoming quiet to its upload starting (first byte at the store)
//  3. bytes re-sent after a kill -9 in the middle of a 60 MB upload
// Needs `npm run build`.  node scripts/bench-watch.js [--sessions 1000] [--idle-sec 60] [--quiet 5]
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const SESSIONS = arg('sessions', 1000);
const IDLE = arg('idle-sec', 60);
const QUIET = arg('quiet', 5);
const { loadConfig } = await import(join(repo, 'dist/config/load.js'));
const { startLocalStack } = await import(join(repo, 'dist/composition/local-stack.js'));
const { nullLogger } = await import(join(repo, 'dist/adapters/log/file-logger.js'));
const { generateSession } = await import(join(repo, 'dist/features/synthetic/generate.js'));

const home = mkdtempSync(join(tmpdir(), 'recpipe-bench-watch-'));
const root = join(home, 'rig');
mkdirSync(root);
const env = { ...process.env, RECPIPE_HOME: home };
const stack = await startLocalStack({ config: loadConfig({ env }).config, logger: nullLogger, processing: false });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (args) =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, [join(repo, 'bin/recpipe.js'), ...args], { env, stdio: 'ignore' });
    c.on('exit', resolve);
  });
const cpuTicks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

try {
  let t = Date.now();
  for (let i = 0; i < SESSIONS; i++) {
    const d = new Date(Date.UTC(2010, 0, 1) + i * 86400000);
    await generateSession(root, {
      name: `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}_120000`,
      seed: i,
      files: 1,
      bytesPerFile: 2048,
    });
  }
  await sleep(1100);
  await run(['watch', root, '--once', '--quiet-period', '1']);
  console.log(`uploaded ${SESSIONS} sessions with watch --once in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const daemon = spawn(process.execPath, [join(repo, 'bin/recpipe.js'), 'watch', root, '--quiet-period', String(QUIET)], { env, stdio: 'ignore' });
  await sleep(5000);
  const c0 = cpuTicks(daemon.pid);
  let peak = 0;
  for (let s = 0; s < IDLE; s++) {
    await sleep(1000);
    peak = Math.max(peak, rssMb(daemon.pid));
  }
  const cpu = (cpuTicks(daemon.pid) - c0) / 100;
  console.log(
    `idle daemon over ${IDLE} s with ${SESSIONS} uploaded folders: CPU ${cpu.toFixed(2)} s (${((cpu / IDLE) * 100).toFixed(2)}%), peak RSS ${peak.toFixed(0)} MB`,
  );

  // Latency: write a session, note its last write, wait for the first byte at the store.
  const before = stack.s3.stats.bytesReceived(stack.info.buckets.raw);
  const dir = join(root, '20300101_120000');
  mkdirSync(dir);
  writeFileSync(join(dir, 'metadata.txt'), 'channels: 1\n');
  appendFileSync(join(dir, 'data_00.bin'), Buffer.alloc(100000, 1));
  const lastWrite = Date.now();
  while (stack.s3.stats.bytesReceived(stack.info.buckets.raw) === before) await sleep(20);
  console.log(`quiet -> upload start: ${((Date.now() - lastWrite - QUIET * 1000) / 1000).toFixed(2)} s after the ${QUIET} s quiet period`);
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.on('exit', r));

  // Re-sent bytes after kill -9 mid-upload.
  const big = await generateSession(root, { name: '20300102_120000', seed: 7, files: 1, bytesPerFile: 60 * 1024 * 1024 });
  await sleep(QUIET * 1000 + 200);
  stack.s3.faults.add({ match: { keyPrefix: 'raw/local-rig/20300102_120000/' }, action: { type: 'delay', ms: 200 } });
  const r0 = stack.s3.stats.bytesReceived(stack.info.buckets.raw);
  const victim = spawn(process.execPath, [join(repo, 'bin/recpipe.js'), 'watch', root, '--quiet-period', String(QUIET)], {
    env: { ...env, RECPIPE_PART_SIZE_MIB: '8', RECPIPE_MULTIPART_THRESHOLD_MIB: '8' },
    stdio: 'ignore',
  });
  while (stack.s3.stats.bytesReceived(stack.info.buckets.raw) - r0 < 45 * 1024 * 1024) await sleep(20);
  victim.kill('SIGKILL');
  await new Promise((r) => victim.on('exit', r));
  stack.s3.faults.clear();
  await run(['watch', root, '--once', '--quiet-period', String(QUIET)]);
  const sent = stack.s3.stats.bytesReceived(stack.info.buckets.raw) - r0;
  const size = 60 * 1024 * 1024;
  console.log(
    `kill -9 after ~45 MB of a 60 MB upload: ${(sent / 1048576).toFixed(1)} MB received in total, ${((sent - size) / 1048576).toFixed(1)} MB re-sent (parts in flight at the kill, at most concurrency x part size); session ${big}`,
  );
} finally {
  await stack.close();
}
