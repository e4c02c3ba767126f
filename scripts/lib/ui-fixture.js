// The embedded stack after `recpipe demo`, plus what the ui should show: one more session whose
// variables try to inject markup, one whose processing dies (its processor fails 3 times), a
// demo session whose rig copy changed in place (archived as a held revision), a rig whose key was
// revoked, rig events shipped by `recpipe watch --once`, and `recpipe ui` serving it all. Every
// step is the real CLI in a child process, under a temp RECPIPE_HOME.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSession } from '../../dist/features/synthetic/generate.js';

const BIN = fileURLToPath(new URL('../../bin/recpipe.js', import.meta.url));

/** The session whose text variables are markup: the pages must show them as text. */
export const HOSTILE = { name: '20210220_120000', hardware_model: '<script>window.__xss=1</script>', notes: '"><img src=x onerror="window.__xss=2">' };
/** The session whose processing fails every attempt, so it ends dead. */
export const DEAD = { name: '20210225_080000', error: 'synthetic processor failure (ui fixture)' };
/** The demo session whose rig copy changes in place after its upload: revision 2 is held. */
export const HELD = { name: '20210208_101000', file: 'data_00.bin' };
/** A rig whose only key was revoked. */
export const RETIRED_RIG = 'rig-retired';

/**
 * The stack's processor for sessions uploaded after the demo: fails for the DEAD session, copies
 * the data files otherwise (an external processor, since the built-in decoder does not fail on
 * demand).
 */
const PROCESSOR = `if grep -q '^fail_processing' "$RECPIPE_INPUT_DIR/metadata.txt"; then echo '${DEAD.error}' >&2; exit 3; fi; for f in "$RECPIPE_INPUT_DIR"/*.bin; do cp "$f" "$RECPIPE_OUTPUT_DIR/$(basename "$f").copy"; done`;

function run(args, env, okCodes = [0]) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (okCodes.includes(code) ? resolve(out) : reject(new Error(`recpipe ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** Starts a long-running command and resolves once its output matches `ready`. */
function serve(args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`recpipe ${args.join(' ')} exited ${code} before it was ready:\n${out}`)));
  });
}

function stop(child) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Polls until `done` sessions are processed and `dead` ones died (the watch upload triggers processing; retries back off 1 s, 4 s). */
async function processed(env, done, dead) {
  for (let i = 0; i < 600; i++) {
    const status = JSON.parse(await run(['--json', 'status'], env));
    if (status.counts.done >= done && status.counts.dead >= dead) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('processing did not finish');
}

/**
 * Returns the ui's URL (token included), run() for more recpipe commands against the same stack
 * (the screenshots take a snapshot with it), and a stop() that ends both servers and removes the home.
 */
export async function startUiFixture() {
  const home = mkdtempSync(join(tmpdir(), 'rp-ui-'));
  const env = { PATH: process.env.PATH ?? '', RECPIPE_HOME: home };
  let stack;
  let ui;
  const stopAll = async () => {
    await stop(ui?.child);
    await stop(stack?.child);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await run(['demo', '--size-kb', '16'], env);
    await generateSession(join(home, 'rig-data'), {
      name: HOSTILE.name,
      seed: 9,
      files: 2,
      bytesPerFile: 8192,
      variables: { fatigue: 1, hardware_model: HOSTILE.hardware_model, notes: HOSTILE.notes },
    });
    await generateSession(join(home, 'rig-data'), { name: DEAD.name, seed: 10, files: 1, bytesPerFile: 4096, variables: { fatigue: 1, fail_processing: 1 } });
    // A byte changes in place in a committed demo file: watch archives it as revision 2, held.
    const changed = join(home, 'rig-data', HELD.name, HELD.file);
    const body = readFileSync(changed);
    body[64] ^= 0x20;
    writeFileSync(changed, body);
    const key = JSON.parse(await run(['--json', 'keys', 'create', '--rig', RETIRED_RIG], env));
    await run(['keys', 'revoke', key.id], env);
    stack = await serve(['local', 'up'], { ...env, RECPIPE_PROCESSOR_COMMAND: PROCESSOR }, /local stack ready/);
    // Exit 1 is expected: the demo's invalid folders stay invalid (and are reported as such).
    await run(['watch', join(home, 'rig-data'), '--once', '--quiet-period', '0'], env, [0, 1]);
    await processed(env, 5, 1);
    ui = await serve(['--json', 'ui', '--no-open'], env, /"url":\s*"([^"]+)"/);
    return { home, url: ui.match[1], run: (args) => run(args, env), stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
