// Upload scenarios: the client killed (-9) at seeded moments, the stack killed (-9) under a
// running upload, and a file that changes while its session uploads (issue 12 items 1, 2).
import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkArchived, generateSession, onDisk, run, sleep, stackChild, stackInProcess, start } from './util.js';

export const SESSION = '20210301_120000';
const CONCURRENCY = 2;
const PART_MIB = 5;
const PART = PART_MIB * 1024 * 1024;
/** What the scenarios' uploads run with: the parts in flight (a kill may lose) are `concurrency` parts of `partSize`. */
export const UPLOAD_SETTINGS = { concurrency: CONCURRENCY, partSize: PART };
const uploadArgs = (dir) => ['upload', dir, '--concurrency', String(CONCURRENCY), '--part-size-mib', String(PART_MIB)];
// Files from 5 MiB up go multipart, so a kill can land between and inside parts.
const uploadEnv = (home) => ({ RECPIPE_HOME: home, RECPIPE_MULTIPART_THRESHOLD_MIB: String(PART_MIB) });

/** A seeded session (3 files of 4-8 MB by default) under HOME/rig; returns its dir, file names and size. */
export async function makeSession(home, r, seed, { files = 3, mb = [4, 8] } = {}) {
  const dir = await generateSession(join(home, 'rig'), { name: SESSION, seed, files, bytesPerFile: r.int(mb[0], mb[1]) * 1e6 });
  const names = readdirSync(dir).sort();
  return { dir, names, total: names.reduce((n, f) => n + statSync(join(dir, f)).size, 0) };
}

/**
 * Calls `fire` once, synchronously inside the gateway, when the session's file bytes received
 * reach `at` (so a kill lands while bodies are in flight, whatever the machine's speed).
 */
function byteTrigger(stack) {
  const stats = stack.s3.stats;
  const prefix = `raw/local-rig/${SESSION}/`;
  const received = () => stats.bytesReceived(stack.info.buckets.raw, prefix) - stats.bytesReceived(stack.info.buckets.raw, prefix + '_manifest.json');
  let armed;
  const original = stats.received.bind(stats);
  stats.received = (...a) => {
    original(...a);
    if (armed && received() >= armed.at) {
      const { fire } = armed;
      armed = undefined;
      fire();
    }
  };
  return { received, arm: (at, fire) => (armed = { at, fire }), disarm: () => (armed = undefined) };
}

/** 1. Client kill -9 at 1-3 seeded byte counts, then a clean re-run. */
export async function clientKill({ r, seed, home }) {
  const stack = await stackInProcess(home);
  const { dir, names, total } = await makeSession(home, r, seed);
  const trigger = byteTrigger(stack);
  const planned = r.int(1, 3);
  let kills = 0;
  for (let k = 0; k < planned; k++) {
    const up = start(uploadArgs(dir), uploadEnv(home));
    trigger.arm(trigger.received() + r.range(0.05, 0.6) * total, () => up.child.kill('SIGKILL'));
    const res = await up.done;
    trigger.disarm();
    if (res.signal === 'SIGKILL' && !res.timedOut) kills++;
    else if (res.code === 0) break;
  }
  const rerun = await run(uploadArgs(dir), uploadEnv(home));
  const failures = [];
  if (rerun.code !== 0) failures.push(`re-run exited ${rerun.code ?? rerun.signal}: ${lastLine(rerun.out)}`);
  failures.push(...(await checkArchived(stack.raw, dir, SESSION, names)));
  const resent = Math.max(0, trigger.received() - total);
  const bound = kills * CONCURRENCY * PART;
  if (resent > bound) failures.push(`re-sent ${mb(resent)} MB after ${kills} kill(s), more than the parts in flight (${mb(bound)} MB)`);
  await stack.close();
  return { failures, figures: { kills, resentBytes: resent, maxResentPerKill: kills ? resent / kills : 0 } };
}

/** 2. Stack kill -9 (1-2 times, restarted on the same home and ports) under an upload, then a re-run. */
export async function stackKillUpload({ r, seed, home }) {
  const { dir, names, total } = await makeSession(home, r, seed);
  let stack = await stackChild(home);
  const ports = { apiPort: stack.apiPort, s3Port: stack.s3Port };
  const up = start(uploadArgs(dir), uploadEnv(home), { timeoutMs: 90_000 });
  const planned = r.int(1, 2);
  let kills = 0;
  const store = join(home, 'local', 's3');
  for (let k = 0; k < planned; k++) {
    // Kill when the store's files have grown by a seeded share of the session (parts, spool and
    // objects all count): a moment inside the writes, whatever the machine's speed.
    const at = onDisk(store) + r.range(0.05, 1.2) * total;
    while (up.child.exitCode === null && onDisk(store) < at) await sleep(2);
    if (up.child.exitCode !== null) break;
    await stack.kill9();
    kills++;
    await sleep(r.int(100, 1000));
    stack = await stackChild(home, ports);
  }
  const first = await up.done;
  const rerun = await run(uploadArgs(dir), uploadEnv(home));
  const failures = [];
  if (rerun.code !== 0) failures.push(`${rerun.code === 3 ? 'session blocked: ' : ''}re-run exited ${rerun.code ?? rerun.signal}: ${lastLine(rerun.out)}`);
  failures.push(...(await checkArchived(stack.raw, dir, SESSION, names)));
  if (!stack.alive()) failures.push('the stack crashed');
  await stack.stop();
  // Crash leftovers (12.5): request bodies spooled by the gateway and never removed.
  const spool = join(home, 'local', 's3', 'tmp');
  const leftovers = existsSync(spool) ? readdirSync(spool).length : 0;
  return { failures, figures: { kills, firstRunExit0: first.code === 0 ? 1 : 0, blocked: rerun.code === 3 ? 1 : 0, leftovers } };
}

/** 12.2: a file grows while its session uploads; once finished, a re-run must archive it. */
export async function changedFile({ r, seed, home }) {
  const stack = await stackInProcess(home);
  const { dir, names, total } = await makeSession(home, r, seed);
  const trigger = byteTrigger(stack);
  const victim = names.filter((n) => n.endsWith('.bin'))[r.int(0, 2)];
  // Whole frames (4 channels x int16), so the grown file is still a valid recording.
  const extra = r.int(1, 25_000) * 8;
  const up = start(uploadArgs(dir), uploadEnv(home));
  trigger.arm(r.range(0.1, 0.8) * total, () => appendFileSync(join(dir, victim), Buffer.alloc(extra, 7)));
  const first = await up.done;
  trigger.disarm();
  const rerun = await run(uploadArgs(dir), uploadEnv(home));
  const failures = [];
  if (rerun.code !== 0)
    failures.push(`${rerun.code === 3 ? 'session blocked: ' : ''}re-run after ${victim} changed exited ${rerun.code}: ${lastLine(rerun.out)}`);
  failures.push(...(await checkArchived(stack.raw, dir, SESSION, names)));
  await stack.close();
  return { failures, figures: { firstRunExit0: first.code === 0 ? 1 : 0, blocked: rerun.code === 3 ? 1 : 0 } };
}

/** The CLI's error line (else its last line), to name the failure in the report. */
export const lastLine = (out) => {
  const lines = out
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return (lines.filter((l) => /error:/.test(l)).pop() ?? lines.pop() ?? '').trim().slice(0, 300);
};
export const mb = (b) => (b / 1e6).toFixed(1);
