#!/usr/bin/env node
// The seeded chaos suite (issue 12): kills the client, the embedded stack and `pull` with -9 at
// seeded moments, runs a writer against `watch`, and sends malformed and concurrent requests;
// then checks that nothing a rig recorded ends lost, corrupted, blocked, stuck or un-archived.
// Runs the BUILT code (dist/, bin/recpipe.js): `npm run build` first. Each run gets its own temp
// RECPIPE_HOME; every child is killed and every temp dir deleted, also on failure and Ctrl-C.
//
//   node scripts/chaos.js [--scenario NAME,...|all] [--exclude NAME,...] [--runs N | --total N]
//                         [--seed S] [--parallel P] [--max-minutes M] [--json] [--list]
//
// --runs N: N runs of each scenario; --total N: N runs in all, spread evenly over the scenarios.
// Run i of a scenario uses seed S+i; every failing run is printed with the command that replays
// it. --parallel P runs P worker processes at once; --max-minutes stops starting new runs then.
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
process.emitWarning = (...a) =>
  JSON.stringify(a).includes('NodeVersionSupportWarning') || String(a[0]).includes('NodeVersionSupportWarning') ? undefined : emitWarning(...a);
const { SCENARIOS } = await import('./chaos/scenarios.js');
const { cleanupSync } = await import('./chaos/util.js');
const { printReport } = await import('./chaos/report.js');
const { runParallel, runSerial, spread } = await import('./chaos/runner.js');

if (flag('list')) {
  for (const s of SCENARIOS) console.log(`${s.name.padEnd(24)} ${s.about}`);
  process.exit(0);
}
const names = (v) => (v ? v.split(',') : []);
const which = opt('scenario', 'all');
const excluded = names(opt('exclude'));
const runs = Number(opt('runs', 1));
const totalRuns = opt('total') === undefined ? undefined : Number(opt('total'));
const seed = Number(opt('seed', 1));
const parallel = Number(opt('parallel', 1));
const maxMinutes = Number(opt('max-minutes', Infinity));
const known = SCENARIOS.map((s) => s.name);
const chosen = SCENARIOS.filter((s) => (which === 'all' || names(which).includes(s.name)) && !excluded.includes(s.name));
const unknown = [...(which === 'all' ? [] : names(which)), ...excluded].filter((n) => !known.includes(n));
const positive = (n) => Number.isInteger(n) && n >= 1;
if (
  chosen.length === 0 ||
  unknown.length > 0 ||
  !positive(runs) ||
  (totalRuns !== undefined && !positive(totalRuns)) ||
  !Number.isInteger(seed) ||
  !positive(parallel) ||
  !(maxMinutes > 0)
) {
  console.error(
    `chaos: bad arguments${unknown.length ? ` (unknown scenario ${unknown.join(', ')})` : ''}; --scenario/--exclude from ${known.join(', ')}; --runs, --total and --parallel integers >= 1; --seed an integer; --max-minutes > 0`,
  );
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

const plan = totalRuns === undefined ? chosen.map((scenario) => ({ scenario, runs })) : spread(chosen, totalRuns);
const until = Date.now() + maxMinutes * 60_000;
const quiet = flag('json') || flag('worker');
const progress = (out, planned) => {
  if (quiet) return;
  if (process.stderr.isTTY) process.stderr.write(`\r${out.name}: ${out.runs}/${planned} runs, ${out.failedRuns} failed `);
  else if (out.runs === planned || parallel > 1) process.stderr.write(`${out.name}: ${out.runs}/${planned} runs, ${out.failedRuns} failed\n`);
};
const began = Date.now();
const results =
  parallel > 1 && !flag('worker') ? await runParallel(plan, { seed, parallel, progress, until }) : await runSerial(plan, { seed, progress, until });
if (process.stderr.isTTY && !quiet) process.stderr.write('\n');
for (const r of results) r.secondsPerRun = r.runs > 0 ? r.seconds / r.runs : 0;

if (flag('worker')) {
  // A worker of a parallel campaign hands its raw results (figures per run) to the parent.
  console.log(JSON.stringify(results));
} else {
  const ok = results.every((r) => r.failedRuns === 0);
  const planned = plan.reduce((n, p) => n + (p.scenario.skip?.() ? 0 : p.runs), 0);
  printReport(results, { seed, json: flag('json'), ok, planned, parallel, minutes: (Date.now() - began) / 60_000 });
  process.exitCode = ok ? 0 : 1;
}
