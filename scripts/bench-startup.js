#!/usr/bin/env node
// CLI start-up: wall time of `node bin/recpipe.js --version` (every command pays this before it
// does anything) next to `node -e 0` (Node alone), round robin so load on a shared machine falls
// on all alike; medians and minimums in ms. `--against DIR` adds another built checkout (a
// `git worktree` of the commit to compare with, after `npm run build` there). Needs `npm run build`.
//
//   node scripts/bench-startup.js [--runs 21] [--against ../main]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs') ?? 21);
const against = arg('--against');
const targets = { 'node -e 0': ['-e', '0'], 'recpipe --version': [join(repo, 'bin/recpipe.js'), '--version'] };
if (against) targets[`recpipe --version (${against})`] = [join(resolve(against), 'bin/recpipe.js'), '--version'];

const home = mkdtempSync(join(tmpdir(), 'recpipe-bench-startup-'));
const times = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
try {
  for (let r = 0; r < runs; r++)
    for (const [name, argv] of Object.entries(targets)) {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, argv, { env: { ...process.env, RECPIPE_HOME: home }, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
} finally {
  rmSync(home, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, xs] of Object.entries(times)) console.log(`${name}: median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)} ms (${runs} runs)`);
