// The chaos suite's output: one table of figures per scenario, every failing seed with the
// command that replays it, and the issue 12 targets (met or not); or all of it as JSON.
import { UPLOAD_SETTINGS } from './upload.js';

/** Aggregates one column over the runs' figures. */
function total(figures, c) {
  const xs = figures.map((f) => f[c.key]).filter((x) => typeof x === 'number');
  if (xs.length === 0) return undefined;
  if (c.agg === 'max') return Math.max(...xs);
  const sum = xs.reduce((a, b) => a + b, 0);
  if (c.agg === 'mean') return sum / xs.length;
  if (c.agg === 'ratio') {
    const den = figures
      .map((f) => f[c.per])
      .filter((x) => typeof x === 'number')
      .reduce((a, b) => a + b, 0);
    return den > 0 ? sum / den : undefined;
  }
  return sum;
}

const fmt = (v, c) => (v === undefined ? '-' : c.unit === 'MB' ? `${(v / 1e6).toFixed(1)} MB` : Number.isInteger(v) ? String(v) : v.toFixed(2));

function summarize(r) {
  const totals = {};
  for (const c of r.columns ?? []) totals[c.label] = total(r.figures, c);
  return totals;
}

// What a failing run's problems say happened to its session (a run may count in several).
const KINDS = [
  ['lost', /not stored|not committed|missing at|no outputs indexed|indexed but not stored/],
  ['corrupted', /differ/],
  ['blocked', /blocked/],
  ['stuck', /not done|stuck/],
  ['left un-archived', /only on the rig|verify: (local|raw)_/],
];
const CRASH = /the stack crashed|watch exited early|chaos worker exited/;

/** The targets of issue 12 over everything that ran, one line each. */
function targets(results) {
  const ran = results.filter((r) => !r.skipped);
  const byName = (n) => ran.find((r) => r.name === n);
  const t = [];
  const sessions = ran.filter((r) => r.name !== 'malformed');
  const runs = sessions.reduce((n, r) => n + r.runs, 0);
  const failures = sessions.flatMap((r) => r.failures);
  if (runs > 0) {
    const enough = runs >= 500 ? true : 'so far (fewer than 500 runs)';
    t.push({
      target: 'failed runs (sessions lost, corrupted, blocked, stuck or left un-archived, or another failure)',
      goal: '0 in >= 500 runs',
      got: `${failures.length} of ${runs}`,
      met: failures.length === 0 ? enough : false,
    });
    for (const [kind, re] of KINDS) {
      const n = failures.filter((f) => f.problems.some((p) => re.test(p))).length;
      t.push({ target: `runs with a session ${kind}`, goal: '0', got: String(n), met: n === 0 });
    }
    const other = failures.filter((f) => !KINDS.some(([, re]) => f.problems.some((p) => re.test(p)))).length;
    t.push({ target: 'runs failed otherwise (an error, a timeout, a non-zero re-run)', goal: '0', got: String(other), met: other === 0 });
  }
  const ck = byName('client-kill');
  if (ck && ck.runs > 0) {
    const bound = UPLOAD_SETTINGS.concurrency * UPLOAD_SETTINGS.partSize;
    const worst = total(ck.figures, { key: 'maxResentPerKill', agg: 'max' }) ?? 0;
    t.push({
      target: 're-sent bytes per client kill (worst run)',
      goal: `<= parts in flight, ${UPLOAD_SETTINGS.concurrency} x ${UPLOAD_SETTINGS.partSize / 2 ** 20} MiB = ${(bound / 1e6).toFixed(1)} MB`,
      got: `${(worst / 1e6).toFixed(1)} MB`,
      met: worst <= bound,
    });
  }
  const mal = byName('malformed');
  if (mal && mal.runs > 0) {
    const s = summarize(mal);
    t.push({
      target: '5xx answers to malformed input',
      goal: '0',
      got: `${s['5xx answers'] ?? '-'} of ${s.requests ?? '-'} requests`,
      met: s['5xx answers'] === 0,
    });
  }
  const crashes =
    (mal && mal.runs > 0 ? (summarize(mal)['stack crashes'] ?? 0) : 0) +
    sessions.flatMap((r) => r.failures).filter((f) => f.problems.some((p) => CRASH.test(p))).length;
  if (ran.length > 0) t.push({ target: 'crashes (stack, watch or a chaos worker)', goal: '0', got: String(crashes), met: crashes === 0 });
  return t;
}

/** Prints the report; `planned` runs were asked for (fewer ran when a time limit stopped them). */
export function printReport(results, { seed, json, ok, planned, parallel, minutes }) {
  const ran = results.reduce((n, r) => n + r.runs, 0);
  if (json) {
    const scenarios = results.map((r) => ({
      name: r.name,
      about: r.about,
      runs: r.runs,
      failedRuns: r.failedRuns,
      skipped: r.skipped,
      secondsPerRun: r.secondsPerRun,
      totals: summarize(r),
      failures: r.failures,
    }));
    console.log(JSON.stringify({ ok, seed, planned, ran, scenarios, targets: targets(results) }, null, 2));
    return;
  }
  console.log(
    `recpipe chaos suite: ${ran} runs of ${planned} planned (seeds from ${seed} in each scenario), ${parallel} at a time, ${minutes.toFixed(1)} min, ${new Date().toISOString()}`,
  );
  if (ran < planned) console.log('the time limit (--max-minutes) stopped the campaign before every planned run');
  for (const r of results) {
    console.log(`\n## ${r.name}: ${r.about}`);
    if (r.skipped) {
      console.log(`skipped: ${r.skipped}`);
      continue;
    }
    const totals = summarize(r);
    const cols = [
      { label: 'runs', v: String(r.runs) },
      { label: 'failed runs', v: String(r.failedRuns) },
      ...(r.columns ?? []).map((c) => ({ label: c.label, v: fmt(totals[c.label], c) })),
      { label: 's per run', v: r.secondsPerRun.toFixed(1) },
    ];
    const w = cols.map((c) => Math.max(c.label.length, c.v.length));
    console.log(cols.map((c, i) => c.label.padStart(w[i])).join('  '));
    console.log(cols.map((c, i) => c.v.padStart(w[i])).join('  '));
  }
  const failures = results.flatMap((r) => r.failures);
  if (failures.length > 0) {
    console.log('\n## failing seeds');
    // Problems repeat across seeds: each distinct list is printed once, later seeds point to it.
    const seen = new Map();
    for (const f of failures) {
      const scenario = f.command.split(' ')[3];
      const shape =
        scenario +
        '\n' +
        f.problems
          .map((p) =>
            p
              .replace(/\/tmp\/recpipe-chaos-[^/\s]+/g, '$TMP')
              .replace(/"requestId":"[^"]*"?/g, '')
              .replace(/\d+/g, 'N'),
          )
          .join('\n');
      console.log(f.command);
      if (seen.has(shape)) console.log(`    the same problems as seed ${seen.get(shape)}`);
      else {
        seen.set(shape, f.seed);
        for (const p of f.problems) console.log(`    ${p}`);
      }
    }
  }
  console.log('\n## targets (issue 12)');
  for (const t of targets(results))
    console.log(
      `${t.met === true ? 'PASS ' : t.met === false ? 'FAIL ' : 'SHORT'} ${t.target}: ${t.got} (target ${t.goal})${typeof t.met === 'string' ? `, ${t.met}` : ''}`,
    );
  console.log(ok ? '\nall runs passed' : `\n${failures.length} failing run(s)`);
}
