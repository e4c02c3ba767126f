#!/usr/bin/env node
// docs/access-matrix.md from the access table (src/infra/access-matrix/table.ts): synthesizes
// the stack offline, evaluates every row with the IAM policy simulator and writes the document.
// Needs `npm run build`. `--check` writes nothing and exits 1 when the document is stale.
//
//   node scripts/access-matrix.js [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = (f) => import(join(repo, 'dist/infra/access-matrix', f));
const { ACCESS_TABLE } = await lib('table.js');
const { evaluateRow } = await lib('evaluate.js');
const { landscapeOf } = await lib('landscape.js');
const { renderAccessMatrix } = await lib('render.js');
const { synthTemplate, TEST_ENV } = await lib('synth.js');

const landscape = landscapeOf(synthTemplate(), TEST_ENV);
const verdicts = await Promise.all(ACCESS_TABLE.map((row) => evaluateRow(row, landscape)));
const doc = renderAccessMatrix(verdicts);
const path = join(repo, 'docs/access-matrix.md');
const off = verdicts.filter((v) => v.decision !== v.row.expect);
for (const v of off) console.error(`expected ${v.row.expect}, got ${v.decision}: ${v.row.who} ${v.row.does} ${v.row.on} (${v.decidedBy})`);
if (process.argv.includes('--check')) {
  const stale = readFileSync(path, 'utf8') !== doc;
  console.log(stale ? 'docs/access-matrix.md is stale: run node scripts/access-matrix.js' : 'docs/access-matrix.md is up to date');
  process.exitCode = stale || off.length ? 1 : 0;
} else {
  writeFileSync(path, doc);
  console.log(`wrote docs/access-matrix.md: ${verdicts.length} rows, ${off.length} not as expected`);
  process.exitCode = off.length ? 1 : 0;
}
