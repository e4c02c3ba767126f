#!/usr/bin/env node
// Cold start of the API Lambda from its bundle (issue 30): bundles src/composition/lambda-api.ts with
// esbuild as the stack does (src/infra/compute.ts: ESM, minified, the SDK bundled, the same
// externals), then starts fresh Node processes that import the bundle and build the router from
// a stack's environment, as the first request to a new container does (no AWS call is made:
// clients are created, not used). Prints the bundle's size (raw and gzip) and the median and
// best import + init time of N processes; --baseline DIR does the same for another checkout
// (e.g. /work/main) in the same run, alternating. Lambda's own start (its runtime, the zip's
// download, which grows with the bundle) comes on top; on a 256 MB function the CPU part is
// roughly 6x slower than one core here (a 256 MB function gets about a sixth of a vCPU).
//
//   node scripts/bench-api-cold.js [--runs 15] [--baseline DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const RUNS = Number(arg('runs', 15));
const baseline = arg('baseline', undefined);
const out = mkdtempSync(join(tmpdir(), 'recpipe-api-cold-'));
const esbuild = join(repo, 'node_modules', '.bin', 'esbuild');

/** The API function's entry point in `checkout`: the file exporting `handler` (src/backend/lambda/api.ts before issue 29). */
const apiEntry = (checkout) =>
  [join(checkout, 'src/composition/lambda-api.ts'), join(checkout, 'src/backend/lambda/api.ts')].find(
    (f) => existsSync(f) && /export async function handler\b/.test(readFileSync(f, 'utf8')),
  );

/** Bundles `checkout`'s API handler as the stack does; returns the bundle's path. */
function bundle(checkout, name) {
  const file = join(out, `${name}.mjs`);
  const r = spawnSync(
    esbuild,
    [
      apiEntry(checkout),
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--minify',
      // The stack targets node24 (BUNDLING in src/infra/compute.ts); node20 here so this machine runs it.
      '--target=node20',
      '--main-fields=module,main',
      ...['@duckdb/*', 's3rver', 'chokidar', 'ora', 'winston'].map((m) => `--external:${m}`),
      "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      `--outfile=${file}`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`esbuild failed for ${checkout}: ${r.stderr}`);
  return file;
}

const env = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  RECPIPE_RAW_BUCKET: 'raw',
  RECPIPE_KEYS_TABLE: 'keys',
  RECPIPE_TOKEN_SECRET_ID: 'secret',
  RECPIPE_QUOTA_TABLE: 'quota',
  RECPIPE_QUOTA_BYTES_PER_DAY: '1000',
  RECPIPE_QUOTA_OBJECTS_PER_DAY: '10',
  RECPIPE_MAX_FILE_BYTES: '100',
};

/** Milliseconds from a fresh process's first line to the first answer of a router built from the bundle. */
function coldStart(file) {
  // An unknown route: the router is built (every client created) and answers 404 without I/O.
  const code = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)});
const res = await m.handler({ httpMethod: 'GET', path: '/v1/none', headers: {} });
if (res.statusCode !== 404) throw new Error('unexpected answer ' + res.statusCode);
process.stdout.write('\\ncold-start-ms ' + (performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  // The router's own log line goes to stdout too (as on Lambda); the figure is on its own line.
  return Number(/cold-start-ms (\S+)/.exec(r.stdout)?.[1]);
}

const builds = [{ name: 'this checkout', file: bundle(repo, 'this') }];
if (baseline) builds.push({ name: `baseline ${baseline}`, file: bundle(baseline, 'baseline') });
try {
  const times = builds.map(() => []);
  for (let i = 0; i < RUNS; i++) for (const [j, b] of builds.entries()) times[j].push(coldStart(b.file));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`API Lambda bundle (esbuild, minified, ESM), import of the bundle in a fresh node ${process.version}, ${RUNS} runs alternating, load ${load}`);
  for (const [j, b] of builds.entries()) {
    const bytes = statSync(b.file).size;
    const gz = gzipSync(readFileSync(b.file)).length;
    console.log(
      `${b.name.padEnd(28)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB (${(gz / 1024).toFixed(0)} KiB gzip)  import median ${median(times[j]).toFixed(0)} ms, best ${Math.min(...times[j]).toFixed(0)} ms`,
    );
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
