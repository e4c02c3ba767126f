// Shared plumbing of the chaos suite (scripts/chaos.js): seeded randomness, temp homes and
// children that are always cleaned up, the CLI and the embedded stack (in-process or as a child),
// and the checks every scenario shares (committed, bit-identical).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = join(repo, 'bin/recpipe.js');
const dist = (p) => import(join(repo, 'dist', p));
export const { prng } = await dist('features/synthetic/generate.js');
export const { generateSession } = await dist('features/synthetic/generate.js');
const { loadConfig } = await dist('config/load.js');
const { startLocalStack } = await dist('composition/local-stack.js');
const { nullLogger } = await dist('adapters/log/file-logger.js');
const { createS3Client } = await dist('adapters/s3/client.js');
const { S3ObjectStore } = await dist('adapters/s3/object-store.js');
const { startLocalProcessing } = await dist('features/process/local-consumer.js');

export const RIG = 'local-rig';
// Children see none of the caller's recpipe settings: each run sets its own.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RECPIPE_') && k !== 'AWS_CA_BUNDLE'));
baseEnv.NODE_NO_WARNINGS = '1';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A seeded random source with the helpers scenarios need. */
export function rng(seed) {
  const next = prng(seed);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    range: (lo, hi) => lo + next() * (hi - lo),
  };
}

// Everything a run creates, so that a failure, a timeout or Ctrl-C still cleans up.
const children = new Set();
const dirs = new Set();
const mounts = new Set();
const closers = new Set();

export function tempHome(tag) {
  const d = mkdtempSync(join(tmpdir(), `recpipe-chaos-${tag}-`));
  dirs.add(d);
  return d;
}
export const trackMount = (m) => mounts.add(m);
export const untrackMount = (m) => mounts.delete(m);

/** Kills every child, closes in-process stacks, unmounts and deletes every temp dir. */
export async function cleanup() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  for (const close of [...closers]) await close().catch(() => undefined);
  closers.clear();
  cleanupSync();
}
export function cleanupSync() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  mounts.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

/**
 * Starts `recpipe ARGS` as a tracked child. `done` resolves with {code, signal, out} when it
 * exits; it is killed after `timeoutMs` (reported as signal SIGKILL, timedOut true).
 */
export function start(args, env, { timeoutMs = 60_000 } = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const done = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, out, timedOut });
    }),
  );
  return { child, done, output: () => out };
}
export const run = (args, env, o) => start(args, env, o).done;

/** The embedded stack in this process (gateway stats and faults reachable), on `home`. */
export async function stackInProcess(home, { processing = false } = {}) {
  const config = loadConfig({ env: { RECPIPE_HOME: home } }).config;
  const stack = await startLocalStack({ config, logger: nullLogger, processing, startProcessing: startLocalProcessing });
  const client = createS3Client({ region: stack.info.region, endpoint: stack.info.s3, credentials: stack.info.credentials });
  const close = async () => {
    closers.delete(close);
    client.destroy();
    await stack.close();
  };
  closers.add(close);
  return { ...stack, raw: new S3ObjectStore(client, stack.info.buckets.raw), lake: new S3ObjectStore(client, stack.info.buckets.lake), close };
}

/** `recpipe local up` as a child on `home` (fixed ports when given, so a restart keeps them). */
export async function stackChild(home, { apiPort, s3Port } = {}) {
  const args = ['--json', 'local', 'up', ...(apiPort ? ['--api-port', String(apiPort)] : []), ...(s3Port ? ['--s3-port', String(s3Port)] : [])];
  const s = start(args, { RECPIPE_HOME: home }, { timeoutMs: 10 * 60_000 });
  const deadline = Date.now() + 20_000;
  while (!s.output().includes('"event":"ready"')) {
    if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`recpipe local up did not start: ${s.output().slice(-600)}`);
    await sleep(20);
  }
  const ready = JSON.parse(
    s
      .output()
      .split('\n')
      .find((l) => l.includes('"event":"ready"')),
  );
  const info = JSON.parse(readFileSync(join(home, 'local', 'stack.json'), 'utf8'));
  const client = createS3Client({ region: info.region, endpoint: info.s3, credentials: info.credentials });
  const port = (url) => Number(new URL(url).port);
  return {
    ...s,
    info,
    apiPort: port(ready.api),
    s3Port: port(ready.s3),
    raw: new S3ObjectStore(client, info.buckets.raw),
    lake: new S3ObjectStore(client, info.buckets.lake),
    alive: () => s.child.exitCode === null && s.child.signalCode === null,
    kill9: async () => {
      client.destroy();
      s.child.kill('SIGKILL');
      await s.done;
    },
    stop: async () => {
      client.destroy();
      s.child.kill('SIGTERM');
      return s.done;
    },
  };
}

export async function sha256File(path) {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c);
  return h.digest('hex');
}
export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/**
 * The shared end check of an upload: the session's manifest is stored and every local file is
 * stored bit-identical (SHA-256 of the stored bytes against the local file). Returns problems.
 */
export async function checkArchived(raw, dir, session, files) {
  const problems = [];
  const prefix = `raw/${RIG}/${session}/`;
  // Content written after the first commit is archived as a later revision (issue 12.3): the
  // newest revision's manifest must hold every byte the writer wrote.
  const key = await newestManifestKey(raw, session);
  if (!key) problems.push(`${session}: not committed (no _manifest.json)`);
  // A file re-sent before the commit, or changed in a revision, is stored under its attempt's key, which the manifest pins.
  const listed = key ? JSON.parse(String(await raw.get(key))).files : [];
  const keyOf = (f) => {
    const entry = listed.find((l) => l.name === f);
    return prefix + (entry?.attempt ? `_attempts/${entry.attempt}/` : '') + f;
  };
  for (const f of files) {
    const local = await sha256File(join(dir, f));
    const stored = (await raw.head(keyOf(f))) ? sha256(await raw.get(keyOf(f))) : undefined;
    if (stored !== local) problems.push(`${session}/${f}: ${stored ? 'stored bytes differ from the local file' : 'not stored'}`);
  }
  return problems;
}

/** The key of a session's newest committed manifest (its highest revision), or undefined. */
export async function newestManifestKey(raw, session) {
  const prefix = `raw/${RIG}/${session}/`;
  if (!(await raw.head(`${prefix}_manifest.json`))) return undefined;
  const revisions = (await raw.list(`${prefix}_revisions/`))
    .map((o) => /^_revisions\/([1-9][0-9]*)\/_manifest\.json$/.exec(o.key.slice(prefix.length))?.[1])
    .filter(Boolean)
    .map(Number);
  return revisions.length === 0 ? `${prefix}_manifest.json` : `${prefix}_revisions/${Math.max(...revisions)}/_manifest.json`;
}

/** Whether `mount -t tmpfs` works here (root, not in a locked-down container). */
export function canMountTmpfs() {
  const probe = mkdtempSync(join(tmpdir(), 'recpipe-chaos-probe-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
}

/** Every file under `d` (none when it does not exist). */
export const walk = (d) => {
  try {
    return existsSync(d) ? readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])) : [];
  } catch {
    return []; // a folder removed while walking
  }
};
/** Bytes in the files under `d`: a progress measure that does not depend on the machine's speed. */
export const onDisk = (d) => walk(d).reduce((n, p) => n + (statSync(p, { throwIfNoEntry: false })?.size ?? 0), 0);
