// Scenario 4: `pull` killed (-9) at seeded moments, and `pull` into a disk that fills up (a small
// tmpfs, only where mount works); then re-runs: exit 0, every file at its final path verified
// against the index (SHA-256), no `.part` leftovers.
import { existsSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { lastLine, makeSession } from './upload.js';
import { destFor } from './processing.js';
import { canMountTmpfs, onDisk, run, sha256File, sleep, stackInProcess, start, trackMount, untrackMount, walk } from './util.js';

/** An in-process stack with one processed session, and its index (the catalog's file list). */
async function processedSession(home, r, seed) {
  const stack = await stackInProcess(home, { processing: true });
  // Small: what is under test is the pull, and processing is the slow part of setting it up.
  const { dir } = await makeSession(home, r, seed, { files: 2, mb: [2, 5] });
  const env = { RECPIPE_HOME: home };
  const up = await run(['upload', dir], env);
  if (up.code !== 0) throw new Error(`upload exited ${up.code}: ${lastLine(up.out)}`);
  await stack.idle();
  // The index straight from the catalog's files objects (what `query` reads; DuckDB's start-up
  // would double the run's time).
  const files = [];
  for (const o of await stack.lake.list('catalog/files/')) {
    for (const line of String(await stack.lake.get(o.key))
      .split('\n')
      .filter(Boolean)) {
      const f = JSON.parse(line);
      const [rig, session] = f.session_id.split('/');
      files.push({ ...f, rig, session });
    }
  }
  if (files.length === 0) throw new Error('processing indexed no files');
  const input = join(home, 'files.json');
  writeFileSync(input, JSON.stringify({ files }));
  return { stack, env, files, input, total: files.reduce((n, f) => n + f.bytes, 0) };
}

const pullArgs = (input, dest) => ['pull', '--input', input, '--dest', dest, '--concurrency', '2'];

/** What is wrong at the destination: final files that are missing or differ, `.part` leftovers. */
async function checkDest(dest, files, { complete }) {
  const problems = [];
  for (const f of files) {
    const path = destFor(dest, f);
    if (!existsSync(path)) {
      if (complete) problems.push(`${f.key}: missing at ${path}`);
    } else if ((await sha256File(path)) !== f.sha256) problems.push(`${path}: SHA-256 differs from the index`);
  }
  const parts = walk(dest).filter((p) => p.endsWith('.part'));
  if (complete && parts.length > 0) problems.push(`.part leftovers: ${parts.join(', ')}`);
  return problems;
}

export async function pullKill({ r, seed, home }) {
  const { stack, env, files, input, total } = await processedSession(home, r, seed);
  const dest = join(home, 'dest');
  const planned = r.int(1, 3);
  const failures = [];
  let kills = 0;
  for (let k = 0; k < planned; k++) {
    // Kill when the bytes on disk (final files and .part files) reach a seeded share of what is
    // still missing: a moment inside the download, whatever the machine's speed.
    const present = onDisk(dest);
    const at = present + r.range(0.05, 0.95) * (total - present);
    const p = start(pullArgs(input, dest), env);
    while (p.child.exitCode === null && onDisk(dest) < at) await sleep(2);
    if (p.child.exitCode === null) {
      p.child.kill('SIGKILL');
      kills++;
    }
    await p.done;
    failures.push(...(await checkDest(dest, files, { complete: false })).map((x) => `after kill ${k + 1}: ${x}`));
  }
  const rerun = await run(pullArgs(input, dest), env);
  if (rerun.code !== 0) failures.push(`re-run exited ${rerun.code}: ${lastLine(rerun.out)}`);
  failures.push(...(await checkDest(dest, files, { complete: true })));
  await stack.close();
  return { failures, figures: { kills, files: files.length } };
}

export const pullDiskFullSkip = () => (canMountTmpfs() ? undefined : '`mount -t tmpfs` does not work here (needs root outside a locked-down container)');

export async function pullDiskFull({ r, seed, home }) {
  const { stack, env, files, input, total } = await processedSession(home, r, seed);
  const dest = join(home, 'dest');
  mkdirSync(dest);
  // Room for pull's own free-space check (the files + its 64 MiB margin), then, at a seeded
  // moment, another writer fills the disk up to a seeded fraction of what the pull still needs.
  const size = total + 72 * 1024 * 1024;
  const failures = [];
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dest]).status !== 0) throw new Error(`mount of a ${size}-byte tmpfs on ${dest} failed`);
  trackMount(dest);
  const p = start(pullArgs(input, dest), env);
  await sleep(r.int(200, 1000));
  const left = Math.floor(r.range(0.1, 0.7) * total);
  const ballast = join(dest, 'ballast');
  try {
    const { bavail, bsize } = statfsSync(dest);
    writeFileSync(ballast, Buffer.alloc(Math.max(0, bavail * bsize - left)));
  } catch {
    // ENOSPC: the disk is full, which is the point.
  }
  const full = await p.done;
  const message = lastLine(full.out);
  if (full.code === 0 && (await checkDest(dest, files, { complete: true })).length > 0) failures.push('pull on a full disk exited 0 with files missing');
  if (full.code !== 0 && !/space|ENOSPC|full/i.test(message)) failures.push(`disk full not named in the error: ${message}`);
  failures.push(...(await checkDest(dest, files, { complete: false })).map((x) => `disk full: ${x}`));
  rmSync(ballast, { force: true });
  const rerun = await run(pullArgs(input, dest), env);
  if (rerun.code !== 0) failures.push(`re-run with space exited ${rerun.code}: ${lastLine(rerun.out)}`);
  failures.push(...(await checkDest(dest, files, { complete: true })));
  spawnSync('umount', [dest]);
  untrackMount(dest);
  await stack.close();
  const refused = full.code !== 0 && /nothing was downloaded/.test(message) ? 1 : 0;
  return { failures, figures: { refusedUpFront: refused, failedMidway: full.code !== 0 && !refused ? 1 : 0, finishedBeforeFull: full.code === 0 ? 1 : 0 } };
}
