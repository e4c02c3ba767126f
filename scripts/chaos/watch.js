// Scenario 5: a rig that keeps appending to a session (a seeded schedule of writes and pauses)
// while `recpipe watch` runs. At the end every byte written must be archived: the stored session
// (its newest revision's manifest and objects) equals the final local folder. With a 1 s quiet
// period, pauses longer than that commit a partial session, and what follows is archived as
// later revisions (issue 12.3); with a marker file the session is taken whole, once.
import { appendFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESSION } from './upload.js';
import { checkArchived, generateSession, newestManifestKey, RIG, run, sleep, stackInProcess, start } from './util.js';

const MARKER = 'DONE';
// After the writer stops: the quiet period, then this long for the upload to land.
const SETTLE_MS = 15_000;

/** Appends on a seeded schedule; returns how many pauses were longer than `quietSec`. */
async function write(dir, r, quietSec) {
  const steps = r.int(5, 10);
  // At least one pause longer than the quiet period in every run, more by chance.
  const surelyLong = r.int(0, steps - 2);
  let long = 0;
  for (let i = 0; i < steps; i++) {
    // Whole frames (4 channels x int16), so the folder stays a valid recording at every moment.
    appendFileSync(join(dir, `data_0${r.int(0, 1)}.bin`), Buffer.alloc(r.int(1, 32) * 4096, r.int(0, 255)));
    const longPause = r.next() < 0.25 || i === surelyLong;
    if (longPause) long++;
    await sleep(longPause ? r.range(quietSec + 0.3, quietSec + 1.2) * 1000 : r.range(0.05, 0.6) * 1000);
  }
  return long;
}

function watchRun({ marker }) {
  return async ({ r, seed, home }) => {
    const stack = await stackInProcess(home);
    const root = join(home, 'rig');
    const quietSec = 1;
    const dir = await generateSession(root, { name: SESSION, seed, files: 2, bytesPerFile: 64 * 1024 });
    const env = { RECPIPE_HOME: home, ...(marker ? { RECPIPE_MARKER_FILE: MARKER } : {}) };
    // With a marker, the quiet period is only the fallback for a rig that never writes one.
    // Normal priority: the daemon's default (nice 19, idle-ish I/O) is for a rig that records;
    // here it would share two cores with the test runner's own workers and could be starved past
    // the settle time below (seen once in CI: nothing uploaded within it). The priority itself is
    // tested in test/unit/ingest/low-priority.test.ts; this scenario is about pauses and revisions.
    const w = start(['watch', root, '--quiet-period', marker ? '60' : String(quietSec), '--priority', 'normal'], env, { timeoutMs: 120_000 });
    const longPauses = await write(dir, r, quietSec);
    if (marker) writeFileSync(join(dir, MARKER), '');
    const names = readdirSync(dir)
      .filter((n) => n !== MARKER)
      .sort();
    let problems = [];
    for (const until = Date.now() + quietSec * 1000 + SETTLE_MS; Date.now() < until; await sleep(250)) {
      problems = await checkArchived(stack.raw, dir, SESSION, names);
      if (problems.length === 0) break;
    }
    if (problems.length > 0) problems = await verifyDisagrees(home, root, problems);
    const localBytes = names.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    const newest = await newestManifestKey(stack.raw, SESSION);
    const manifest = newest ? JSON.parse(String(await stack.raw.get(newest))) : undefined;
    const revision = manifest?.revision ?? (manifest ? 1 : 0);
    const unarchived = localBytes - (manifest?.totalBytes ?? 0);
    const alive = w.child.exitCode === null;
    w.child.kill('SIGTERM');
    const res = await w.done;
    const failures =
      problems.length > 0 ? [`${longPauses} pause(s) longer than the quiet period; ${unarchived} bytes written only on the rig`, ...problems] : [];
    if (!alive) failures.push(`watch exited early (${res.code ?? res.signal}): ${res.out.trim().split('\n').pop()}`);
    await stack.close();
    // With a marker the session must be taken once, whole: a revision there means a partial commit.
    if (marker && revision > 1) failures.push(`committed in ${revision} revisions although the rig wrote a marker file`);
    return { failures, figures: { longPauses, revisions: revision, unarchivedRuns: problems.length > 0 ? 1 : 0, unarchivedBytes: Math.max(0, unarchived) } };
  };
}

/**
 * A second opinion when the direct check finds gaps: `verify` is asked, with every object
 * re-hashed, whether the rig copy equals the newest committed revision. Returns the problems
 * that stand (the direct ones when verify also finds the session differing or missing).
 */
async function verifyDisagrees(home, root, direct) {
  const v = await run(['--json', 'verify', '--root', root, '--rig', RIG, '--grace-hours', '0'], { RECPIPE_HOME: home });
  let findings;
  try {
    findings = JSON.parse(v.out.slice(v.out.indexOf('{'))).findings;
  } catch {
    return [...direct, `verify gave no report (exit ${v.code}): ${v.out.trim().split('\n').pop()}`];
  }
  const mine = findings.filter((f) => f.sessionId === `${RIG}/${SESSION}` && /^(local|raw)_/.test(f.category));
  return mine.length === 0 ? [] : [...direct, ...mine.map((f) => `verify: ${f.category}: ${f.message}`)];
}

export const watchPauses = watchRun({ marker: false });
export const watchMarker = watchRun({ marker: true });
