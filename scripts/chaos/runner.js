// Runs the chaos suite's scenarios: serially in this process (`runSerial`), or spread over
// worker processes (`runParallel`: each worker is `chaos.js --worker` on a slice of seeds, so
// runs never share a process, its children or its temp dirs). A time limit stops new work and
// reports what ran.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cleanup, rng, tempHome } from './util.js';

const SCRIPT = fileURLToPath(new URL('../chaos.js', import.meta.url));
/** Runs per worker job: small, so the scenarios interleave and a time limit cuts little. */
const CHUNK = 3;

/** A number from the scenario's name, so that seed S means different moments in each scenario. */
const salt = (name) => [...name].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

export const emptyResult = (s) => ({
  name: s.name,
  about: s.about,
  columns: s.columns,
  runs: 0,
  failedRuns: 0,
  figures: [],
  failures: [],
  seconds: 0,
  skipped: undefined,
});

/** Run `seed` of scenario `s`: { failures, figures }, never throws. */
async function runOne(s, seed) {
  const ctx = { seed, r: rng((seed ^ salt(s.name)) >>> 0), home: tempHome(s.name) };
  let timer;
  try {
    return await Promise.race([
      s.run(ctx),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${s.timeoutSec} s`)), s.timeoutSec * 1000))),
    ]);
  } catch (e) {
    return { failures: [`error: ${e instanceof Error ? e.message : String(e)}`], figures: {} };
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

/** Runs `plan` ([{ scenario, runs }]) one run at a time; seeds seed..seed+runs-1 per scenario. */
export async function runSerial(plan, { seed, progress, until = Infinity }) {
  const results = [];
  for (const { scenario: s, runs } of plan) {
    const out = emptyResult(s);
    results.push(out);
    const skip = s.skip?.();
    if (skip) {
      out.skipped = skip;
      continue;
    }
    const began = Date.now();
    for (let i = 0; i < runs && Date.now() < until; i++) {
      const res = await runOne(s, seed + i);
      out.runs++;
      out.figures.push(res.figures);
      if (res.failures.length > 0) {
        out.failedRuns++;
        out.failures.push({ seed: seed + i, command: `node scripts/chaos.js --scenario ${s.name} --seed ${seed + i} --runs 1`, problems: res.failures });
      }
      progress?.(out, runs);
    }
    out.seconds = (Date.now() - began) / 1000;
  }
  return results;
}

/** One worker: `chaos.js --worker` on `runs` seeds of one scenario; resolves with its results. */
function worker(name, seed, runs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, '--worker', '--scenario', name, '--seed', String(seed), '--runs', String(runs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => {
      try {
        resolve(JSON.parse(out)[0]);
      } catch {
        // The worker itself died: every run of its slice counts as failed, with what it said.
        const why = `chaos worker exited ${code ?? signal}: ${(err || out).trim().split('\n').slice(-3).join(' | ')}`;
        resolve({
          runs,
          failedRuns: runs,
          figures: [],
          seconds: 0,
          failures: Array.from({ length: runs }, (_, i) => ({
            seed: seed + i,
            command: `node scripts/chaos.js --scenario ${name} --seed ${seed + i} --runs 1`,
            problems: [why],
          })),
        });
      }
    });
  });
}

/**
 * Runs `plan` on `parallel` workers. Jobs of CHUNK seeds are taken round-robin over the
 * scenarios, so a time limit (`until`, ms since the epoch) cuts every scenario about equally.
 */
export async function runParallel(plan, { seed, parallel, progress, until = Infinity }) {
  const results = plan.map(({ scenario }) => emptyResult(scenario));
  const jobs = [];
  const live = plan
    .map((p, i) => ({ ...p, i, next: 0 }))
    .filter((p) => {
      const skip = p.scenario.skip?.();
      if (skip) results[p.i].skipped = skip;
      return !skip;
    });
  for (let round = 0; live.some((p) => p.next < p.runs); round++) {
    for (const p of live) {
      if (p.next >= p.runs) continue;
      const n = Math.min(CHUNK, p.runs - p.next);
      jobs.push({ i: p.i, name: p.scenario.name, seed: seed + p.next, runs: n, planned: p.runs });
      p.next += n;
    }
  }
  const lanes = Array.from({ length: parallel }, async () => {
    for (let job = jobs.shift(); job && Date.now() < until; job = jobs.shift()) {
      const r = await worker(job.name, job.seed, job.runs);
      const out = results[job.i];
      out.runs += r.runs;
      out.failedRuns += r.failedRuns;
      out.figures.push(...r.figures);
      out.failures.push(...r.failures);
      out.seconds += r.seconds;
      progress?.(out, job.planned);
    }
  });
  await Promise.all(lanes);
  for (const out of results) out.failures.sort((a, b) => a.seed - b.seed);
  return results;
}

/** `total` runs spread evenly over the scenarios that are not skipped (the first ones get the remainder). */
export function spread(scenarios, total) {
  const live = scenarios.filter((s) => !s.skip?.());
  return scenarios.map((s) => {
    const k = live.indexOf(s);
    return { scenario: s, runs: k < 0 ? 1 : Math.floor(total / live.length) + (k < total % live.length ? 1 : 0) };
  });
}
