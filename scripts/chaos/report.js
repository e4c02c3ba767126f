// The chaos suite's output: one table of figures per scenario, every failing seed with the
// command that replays it, and the issue 12 targets (met or not); or all of it as JSON.

/** Aggregates one column over the runs' figures. */
function total(figures, c) {
  const xs = figures.map((f) => f[c.key]).filter((x) => typeof x === 'number');
  if (xs.length === 0) return undefined;
  if (c.agg === 'max') return Math.max(...xs);
  const sum = xs.reduce((a, b) => a + b, 0);
  if (c.agg === 'mean') return sum / xs.length;
  if (c.agg === 'ratio') {
    const den = figures.map((f) => f[c.per]).filter((x) => typeof x === 'number').reduce((a, b) => a + b, 0);
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

/** The targets of issue 12 over everything that ran. */
function targets(results) {
  const ran = results.filter((r) => !r.skipped);
  const byName = (n) => ran.find((r) => r.name === n);
  const t = [];
  const sessions = ran.filter((r) => r.name !== 'malformed');
  const runs = sessions.reduce((n, r) => n + r.runs, 0);
  const failed = sessions.reduce((n, r) => n + r.failedRuns, 0);
  if (runs > 0) t.push({ target: 'sessions lost, corrupted, blocked, stuck or left un-archived', goal: '0 in >= 500 runs', got: `${failed} failed runs of ${runs}`, met: failed === 0 && runs >= 500 ? true : failed === 0 ? 'so far (fewer than 500 runs)' : false });
  const ck = byName('client-kill');
  if (ck) {
    const over = ck.failures.filter((f) => f.problems.some((p) => p.startsWith('re-sent'))).length;
    t.push({ target: 're-sent bytes per client kill', goal: '<= parts in flight, 2 x 5 MiB = 10.5 MB', got: `${over} runs over`, met: over === 0 });
  }
  const mal = byName('malformed');
  if (mal) {
    const s = summarize(mal);
    t.push({ target: '5xx answers to malformed input', goal: '0', got: String(s['5xx answers'] ?? '-'), met: s['5xx answers'] === 0 });
    t.push({ target: 'stack crashes', goal: '0', got: String(s['stack crashes'] ?? '-'), met: s['stack crashes'] === 0 });
  }
  return t;
}

export function printReport(results, { seed, runs, json, ok }) {
  if (json) {
    const scenarios = results.map((r) => ({ name: r.name, about: r.about, runs: r.runs, failedRuns: r.failedRuns, skipped: r.skipped, secondsPerRun: r.secondsPerRun, totals: summarize(r), failures: r.failures }));
    console.log(JSON.stringify({ ok, seed, runsPerScenario: runs, scenarios, targets: targets(results) }, null, 2));
    return;
  }
  console.log(`recpipe chaos suite: seeds ${seed}..${seed + runs - 1}, ${new Date().toISOString()}`);
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
      const shape = scenario + '\n' + f.problems.map((p) => p.replace(/\/tmp\/recpipe-chaos-[^/\s]+/g, '$TMP').replace(/"requestId":"[^"]*"?/g, '').replace(/\d+/g, 'N')).join('\n');
      console.log(f.command);
      if (seen.has(shape)) console.log(`    the same problems as seed ${seen.get(shape)}`);
      else {
        seen.set(shape, f.seed);
        for (const p of f.problems) console.log(`    ${p}`);
      }
    }
  }
  console.log('\n## targets (issue 12)');
  for (const t of targets(results)) console.log(`${t.met === true ? 'MET    ' : t.met === false ? 'NOT MET' : 'MET    '} ${t.target}: ${t.got} (target ${t.goal})${typeof t.met === 'string' ? `, ${t.met}` : ''}`);
  console.log(ok ? '\nall runs passed' : `\n${failures.length} failing run(s)`);
}
