#!/usr/bin/env node
// Big-file upload benchmark (issue 19): a session holding one 5 GiB data file (sparse, so it
// costs no disk) uploaded through the embedded stack (`recpipe local up` in its own process)
// several times in a row, each time into a fresh stack. Prints per run the exit code, wall
// time, the upload's peak RSS (/usr/bin/time) and the stack's peak RSS (VmHWM), and fails
// unless every run exits 0 under 200 MB. Everything it creates is deleted at the end.
// Needs `npm run build` first and about 3x the file size free on the temp folder's disk.
//
//   node scripts/bench-big-upload.js [--runs 5] [--gib 5] [--concurrency N] [--part-size-mib N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 5);
const GIB = arg('gib', 5);
// Unset: recpipe's defaults (parts in flight from uploadMemoryMiB).
const CONCURRENCY = arg('concurrency', undefined);
const PART_MIB = arg('part-size-mib', undefined);
const flags = [...(CONCURRENCY ? ['--concurrency', String(CONCURRENCY)] : []), ...(PART_MIB ? ['--part-size-mib', String(PART_MIB)] : [])];
const LIMIT_MB = 200;
const bytes = Math.round(GIB * 1024 ** 3);
const bin = join(repo, 'bin/recpipe.js');

const fs = statfsSync(tmpdir());
const free = fs.bavail * fs.bsize;
if (free < 3.2 * bytes) {
  console.error(
    `not enough free space under ${tmpdir()}: ${(free / 1e9).toFixed(1)} GB free, ${((3.2 * bytes) / 1e9).toFixed(1)} GB needed (object + parts + spool)`,
  );
  process.exit(2);
}

const { generateSession } = await import(join(repo, 'dist/features/synthetic/generate.js'));
const work = mkdtempSync(join(tmpdir(), 'recpipe-bench-big-'));

/** Runs `recpipe` under /usr/bin/time; resolves exit code, wall s and peak RSS MB. */
function timed(args, env) {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %M', process.execPath, bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const [wall, rssKb] = (err.trim().split('\n').pop() ?? '').split(' ').map(Number);
      resolve({ code, wall, rssMb: rssKb / 1024, tail: err.slice(-600) });
    });
  });
}

/** Starts `recpipe local up` on `home`; resolves once its stack.json names its own pid. */
async function startStack(home) {
  const child = spawn(process.execPath, [bin, 'local', 'up', '--no-processing'], { env: { ...process.env, RECPIPE_HOME: home }, stdio: 'ignore' });
  const info = join(home, 'local', 'stack.json');
  for (let i = 0; i < 600; i++) {
    if (existsSync(info) && JSON.parse(readFileSync(info, 'utf8')).pid === child.pid) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the stack did not start within 60 s');
}

const peakKb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

const rows = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const home = join(work, `home-${i}`);
    // A new session each run, its data file a sparse 5 GiB hole with a small metadata file.
    const name = `20210401_1200${String(i).padStart(2, '0')}`;
    const dir = await generateSession(join(work, 'sessions'), { name, files: 1, bytesPerFile: 4096, seed: i });
    truncateSync(join(dir, 'data_00.bin'), bytes);
    const stack = await startStack(home);
    try {
      const r = await timed(['upload', dir, ...flags], { ...process.env, RECPIPE_HOME: home });
      const stackMb = peakKb(stack.pid) / 1024;
      rows.push({ run: i + 1, ...r, stackMb });
      console.error(`run ${i + 1}: exit ${r.code}, ${r.wall.toFixed(1)} s, upload peak RSS ${r.rssMb.toFixed(0)} MB, stack peak RSS ${stackMb.toFixed(0)} MB`);
      if (r.code !== 0) console.error(r.tail);
    } finally {
      stack.kill('SIGTERM');
      await new Promise((r) => stack.once('exit', r));
      rmSync(home, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`upload of one ${GIB} GiB file through the embedded stack, ${RUNS} runs, ${flags.join(' ') || 'default settings'}, ${new Date().toISOString()}`);
console.log('run  exit  wall s  MB/s  upload peak RSS MB  stack peak RSS MB');
for (const r of rows) {
  console.log(
    `${String(r.run).padStart(3)} ${String(r.code).padStart(5)} ${r.wall.toFixed(1).padStart(7)} ${(bytes / 1e6 / r.wall).toFixed(0).padStart(5)} ${r.rssMb.toFixed(0).padStart(19)} ${r.stackMb.toFixed(0).padStart(18)}`,
  );
}
const ok = rows.length === RUNS && rows.every((r) => r.code === 0 && r.rssMb < LIMIT_MB);
console.log(
  ok
    ? `all ${RUNS} runs exited 0 with the upload under ${LIMIT_MB} MB peak RSS`
    : `FAILED: a run exited non-zero or the upload went over ${LIMIT_MB} MB peak RSS`,
);
process.exitCode = ok ? 0 : 1;
