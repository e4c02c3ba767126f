// Scenario 3: the stack killed (-9) while it processes a committed session, then restarted on
// the same home: the session's ledger must reach `done` (not stay `running`), and its outputs
// must be indexed once, each one stored with the size and SHA-256 the index gives (issue 12.4).
import { join } from 'node:path';
import { lastLine, makeSession, SESSION } from './upload.js';
import { RIG, run, sha256, sleep, stackChild } from './util.js';

const LEDGER = `catalog/ledger/default/1/${RIG}__${SESSION}.json`;
// A restarted stack must take the dead stack's entry over at once (12.4): within TAKEOVER_MS the
// entry must be done or held by the new stack. Then the new attempt gets up to DONE_MS to finish
// (processing takes 1-2 s on an idle machine, tens of seconds under heavy load).
const TAKEOVER_MS = 20_000;
const DONE_MS = 80_000;

async function ledger(lake) {
  try {
    return JSON.parse(String(await lake.get(LEDGER)));
  } catch {
    return { state: 'none' };
  }
}
const ledgerState = async (lake) => (await ledger(lake)).state;
/** The pid in a lease owner `host:pid:nonce`. */
const holderPid = (e) => Number(/:(\d+):[^:]+$/.exec(e.lease_owner ?? '')?.[1]);

export async function stackKillProcessing({ r, seed, home }) {
  const { dir } = await makeSession(home, r, seed);
  let stack = await stackChild(home);
  const env = { RECPIPE_HOME: home };
  const up = await run(['upload', dir], env);
  const failures = [];
  if (up.code !== 0) return { failures: [`upload before the kill exited ${up.code}: ${lastLine(up.out)}`], figures: {} };
  // Processing this session takes about 1-2 s after the commit: most kills land inside it.
  await sleep(r.int(0, 800));
  const before = await ledgerState(stack.lake);
  await stack.kill9();
  stack = await stackChild(home);
  // Taken over: done, or running under the new stack (not the killed one's lease).
  const takenOver = (e) => e.state === 'done' || (e.state === 'running' && holderPid(e) === stack.child.pid);
  let e = await ledger(stack.lake);
  for (const until = Date.now() + TAKEOVER_MS; !takenOver(e) && Date.now() < until; e = await ledger(stack.lake)) await sleep(250);
  for (const until = Date.now() + DONE_MS; takenOver(e) && e.state !== 'done' && Date.now() < until; e = await ledger(stack.lake)) await sleep(250);
  const state = e.state;
  if (!takenOver(e))
    failures.push(
      `stuck: ledger ${state} (holder ${e.lease_owner ?? 'none'}) ${TAKEOVER_MS / 1000} s after the restart, not taken over by the new stack (pid ${stack.child.pid}; it was ${before} at the kill)`,
    );
  else if (state !== 'done')
    failures.push(`ledger still running under the new stack ${(TAKEOVER_MS + DONE_MS) / 1000} s after the restart (it was ${before} at the kill)`);
  else failures.push(...(await checkIndexedOnce(stack, env)));
  if (!stack.alive()) failures.push('the stack crashed');
  await stack.stop();
  return {
    failures,
    figures: {
      kills: 1,
      killedRunning: before === 'running' ? 1 : 0,
      killedBeforeLedger: before === 'none' ? 1 : 0,
      stuck: !takenOver(e) && state === 'running' ? 1 : 0,
    },
  };
}

/** Every output of the session listed once by `query`, and stored as listed. */
async function checkIndexedOnce(stack, env) {
  const q = await run(['--json', 'query'], env);
  if (q.code !== 0) return [`query exited ${q.code}: ${lastLine(q.out)}`];
  const files = JSON.parse(q.out.slice(q.out.indexOf('['))).filter((f) => f.session === SESSION);
  const problems = [];
  if (files.length === 0) problems.push('no outputs indexed');
  const keys = files.map((f) => f.key);
  const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (dupes.length > 0) problems.push(`outputs indexed more than once: ${[...new Set(dupes)].join(', ')}`);
  for (const f of files) {
    const body = await stack.lake.get(f.key).catch(() => undefined);
    if (!body) problems.push(`${f.key}: indexed but not stored`);
    else if (body.length !== f.bytes || sha256(body) !== f.sha256) problems.push(`${f.key}: stored bytes differ from the index`);
  }
  return problems;
}

export const ledgerKey = LEDGER;
export const destFor = (dest, f) => join(dest, f.rig, f.session, f.pipeline, f.pipeline_version, f.file);
