#!/usr/bin/env node
// The seeded chaos suite (issue 12): kills the client, the embedded stack and `pull` with -9 at
// seeded moments, runs a writer against `watch`, and sends malformed and concurrent requests;
// then checks that nothing a rig recorded ends lost, corrupted, blocked, stuck or un-archived.
// Runs the BUILT code (dist/, bin/recpipe.js): `npm run build` first. Each run gets its own temp
// RECPIPE_HOME; every child is killed and every temp dir deleted, also on failure and Ctrl-C.
//
//   node scripts/chaos.js [--scenario NAME|all] [--runs N] [--seed S] [--json] [--list]
//
// Run i of a scenario uses seed S+i; every failing run is printed with the command that replays it.
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (n) => argv.includes(`--${n}`);
const opt = (n, d) => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d;
};
if (!existsSync(join(repo, 'dist/cli/main.js'))) {
  console.error('chaos: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
// The AWS SDK's notice about future Node versions is noise in a report; other warnings stay.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (...a) => (JSON.stringify(a).includes('NodeVersionSupportWarning') || String(a[0]).includes('NodeVersionSupportWarning') ? undefined : emitWarning(...a));
const { SCENARIOS } = await import('./chaos/scenarios.js');
const { cleanup, cleanupSync, rng, tempHome } = await import('./chaos/util.js');
const { printReport } = await import('./chaos/report.js');

if (flag('list')) {
  for (const s of SCENARIOS) console.log(`${s.name.padEnd(24)} ${s.about}`);
  process.exit(0);
}
const which = opt('scenario', 'all');
const runs = Number(opt('runs', 1));
const seed = Number(opt('seed', 1));
const chosen = which === 'all' ? SCENARIOS : SCENARIOS.filter((s) => which.split(',').includes(s.name));
if (chosen.length === 0 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error(`chaos: bad arguments; --scenario one of all, ${SCENARIOS.map((s) => s.name).join(', ')}; --runs and --seed integers (runs >= 1)`);
  process.exit(2);
}

// Ctrl-C or a kill of this script: no child, mount or temp dir outlives it.
process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanupSync();
    process.exit(130);
  });
}

/** A number from the scenario's name, so that seed S means different moments in each scenario. */
const salt = (name) => [...name].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

const results = [];
for (const s of chosen) {
  const out = { name: s.name, about: s.about, columns: s.columns, runs: 0, failedRuns: 0, figures: [], failures: [], skipped: undefined };
  results.push(out);
  const skip = s.skip?.();
  if (skip) {
    out.skipped = skip;
    continue;
  }
  const began = Date.now();
  for (let i = 0; i < runs; i++) {
    const runSeed = seed + i;
    const ctx = { seed: runSeed, r: rng((runSeed ^ salt(s.name)) >>> 0), home: tempHome(s.name) };
    let res;
    let timer;
    try {
      res = await Promise.race([
        s.run(ctx),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${s.timeoutSec} s`)), s.timeoutSec * 1000))),
      ]);
    } catch (e) {
      res = { failures: [`error: ${e instanceof Error ? e.message : String(e)}`], figures: {} };
    } finally {
      clearTimeout(timer);
      await cleanup();
    }
    out.runs++;
    out.figures.push(res.figures);
    if (res.failures.length > 0) {
      out.failedRuns++;
      out.failures.push({ seed: runSeed, command: `node scripts/chaos.js --scenario ${s.name} --seed ${runSeed} --runs 1`, problems: res.failures });
    }
    if (!flag('json') && process.stderr.isTTY) process.stderr.write(`\r${s.name}: ${out.runs}/${runs} runs, ${out.failedRuns} failed `);
  }
  out.secondsPerRun = (Date.now() - began) / 1000 / Math.max(1, out.runs);
  if (process.stderr.isTTY && !flag('json')) process.stderr.write('\n');
  else process.stderr.write(`${s.name}: ${out.runs} runs, ${out.failedRuns} failed, ${out.secondsPerRun.toFixed(1)} s per run\n`);
}

const ok = results.every((r) => r.failedRuns === 0);
printReport(results, { seed, runs, json: flag('json'), ok });
process.exitCode = ok ? 0 : 1;
