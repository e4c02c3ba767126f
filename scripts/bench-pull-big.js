#!/usr/bin/env node
// Pull of one big output (5 GiB by default) from a loopback S3 endpoint (scripts/lib/shaped-s3.js,
// which takes the same network-shaping flags as bench-pull.js): peak RSS, wall and CPU time of
// `recpipe pull`, then resumability: a second pull is killed (SIGKILL) part-way through, a third
// finishes it, and the script reports how many bytes the store sent to the third (only the ranges
// the killed pull had not finished should be sent again). Every pull verifies the whole-file
// SHA-256 against the index. Needs `npm run build` and 2 x the file size free in the temp dir;
// removes everything it made at the end.
//
//   node scripts/bench-pull-big.js [--gib 5] [--kill-at 0.5] [--ttfb-ms 30 --conn-mbps 50 ...]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeShape, shapeFromArgv, startShapedS3 } from './lib/shaped-s3.js';
import { pointHomeAt } from './lib/bench-home.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const BYTES = Math.round(arg('gib', 5) * 1024 ** 3);
const KILL_AT = arg('kill-at', 0.5);
const shape = shapeFromArgv(process.argv);
const work = mkdtempSync(join(tmpdir(), 'recpipe-bench-pull-big-'));
const prefix = 'processed/default/1/bench-rig/20210301_120000/';
const file = 'long_recording.npy';

try {
  // 1. The object, hashed as it is written.
  mkdirSync(join(work, 'store', prefix), { recursive: true });
  const h = createHash('sha256');
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  const fd = openSync(join(work, 'store', prefix, file), 'w');
  for (let written = 0; written < BYTES;) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE(((written + i) ^ 0x9e3779b9) >>> 0, i);
    const n = Math.min(chunk.length, BYTES - written);
    writeSync(fd, chunk, 0, n);
    h.update(chunk.subarray(0, n));
    written += n;
  }
  closeSync(fd);
  const item = {
    session_id: 'bench-rig/20210301_120000',
    pipeline: 'default',
    pipeline_version: '1',
    key: prefix + file,
    file,
    bytes: BYTES,
    sha256: h.digest('hex'),
  };

  // 2. The endpoint and a RECPIPE_HOME pointing at it.
  const server = await startShapedS3(join(work, 'store'), shape, join(repo, 'test', 'fixtures', 'tls'));
  const home = join(work, 'home');
  pointHomeAt(home, { api: server.url, s3: server.url });
  const input = join(home, 'files.json');
  writeFileSync(input, JSON.stringify({ files: [item] }));
  const env = { ...process.env, RECPIPE_HOME: home, ...(shape.tls ? { NODE_EXTRA_CA_CERTS: join(repo, 'test', 'fixtures', 'tls', 'cert.pem') } : {}) };
  const dest = join(work, 'dest');
  const staged = join(dest, 'bench-rig', '20210301_120000', 'default', '1', file);
  const args = [join(repo, 'bin/recpipe.js'), 'pull', '--input', input, '--dest', dest];
  const pull = () => spawn('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const finished = async (child) => {
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    const [wall, user, sys, rss] = err.trim().split('\n').pop().split(' ').map(Number);
    return { code, wall, cpu: user + sys, rssMb: rss / 1024, err };
  };
  const verify = () => {
    const v = createHash('sha256');
    const buf = Buffer.alloc(8 * 1024 * 1024);
    const f = openSync(staged, 'r');
    for (let n; (n = readSync(f, buf)) > 0;) v.update(buf.subarray(0, n));
    closeSync(f);
    return v.digest('hex') === item.sha256;
  };

  // 3. A whole pull, measured.
  spawnSync('sync');
  const full = await finished(pull());
  if (full.code !== 0) throw new Error(`pull failed: ${full.err.slice(-600)}`);
  const fullOk = statSync(staged).size === BYTES;
  rmSync(dest, { recursive: true, force: true });

  // 4. A pull killed part-way (by the bytes the store has sent), then the same pull again.
  spawnSync('sync');
  const before = server.stats.bytes;
  const killed = spawn(process.execPath, args, { env, stdio: 'ignore' });
  const killedDone = new Promise((r) => killed.on('exit', r));
  while (server.stats.bytes - before < KILL_AT * BYTES && killed.exitCode === null) await sleep(20);
  killed.kill('SIGKILL');
  await killedDone;
  const record = existsSync(staged + '.part.ranges') ? JSON.parse(readFileSync(staged + '.part.ranges', 'utf8')) : { done: [] };
  const sentBefore = server.stats.bytes;
  const resumed = await finished(pull());
  const resent = server.stats.bytes - sentBefore;
  const ok = resumed.code === 0 && verify();
  await server.close();

  console.log(`pull of one ${(BYTES / 1024 ** 3).toFixed(2)} GiB file from a loopback S3 endpoint (${describeShape(shape)}), ${new Date().toISOString()}`);
  console.log(
    `whole pull: ${full.wall.toFixed(1)} s, ${(BYTES / 1e6 / full.wall).toFixed(0)} MB/s, ${full.cpu.toFixed(1)} CPU s (${(full.cpu / (BYTES / 1e9)).toFixed(2)} per GB), peak RSS ${full.rssMb.toFixed(0)} MB, ${fullOk ? 'verified' : 'WRONG SIZE'}`,
  );
  console.log(
    `killed after ${((sentBefore - before) / 1e6).toFixed(0)} MB sent, ${record.done.length} ranges recorded done; the next pull got ${(resent / 1e6).toFixed(0)} MB (${((resent / BYTES) * 100).toFixed(0)} % of the file) in ${resumed.wall.toFixed(1)} s, peak RSS ${resumed.rssMb.toFixed(0)} MB, ${ok ? 'exit 0, SHA-256 re-checked here too' : `FAILED (exit ${resumed.code})`}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
