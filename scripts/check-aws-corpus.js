#!/usr/bin/env node
// Checks the "AWS-recorded corpus" table of docs/aws-parity.md against LocalStack's snapshots:
// every row sourced from a snapshot must name a test and entry that exist there, with the same
// error code and (where recorded) status, and the test must be listed as validated against AWS
// unless the row says it is not.
//   node scripts/check-aws-corpus.js <localstack checkout, or a bare git dir of it>
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = process.argv[2];
if (!src) {
  console.error('usage: node scripts/check-aws-corpus.js <localstack checkout or bare git dir>');
  process.exit(2);
}
const read = (path) =>
  existsSync(join(src, path))
    ? readFileSync(join(src, path), 'utf8')
    : execFileSync('git', ['-C', src, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
const files = new Map();
const load = (file) => {
  if (!files.has(file)) {
    const base = `tests/aws/services/s3/${file.replace('.snapshot.json', '')}`;
    files.set(file, { snapshot: JSON.parse(read(`${base}.snapshot.json`)), validation: JSON.parse(read(`${base}.validation.json`)), py: base + '.py' });
  }
  return files.get(file);
};

const doc = readFileSync(join(repo, 'docs/aws-parity.md'), 'utf8');
const section = doc.split(/^## /m).find((s) => s.startsWith('AWS-recorded corpus')) ?? '';
const rows = section.split('\n').filter((l) => /^\| \d+ \| `/.test(l));
let bad = 0;
let checked = 0;
for (const row of rows) {
  const [, id, , answer, source] = row.split(' | ');
  const m = /^(\S+\.snapshot\.json) › (\S+) › (\S+)( \(test since removed, not in validation\.json\))?$/.exec(source);
  if (!m) continue;
  const [, file, test, entry, unlisted] = m;
  const f = load(file);
  const name = `${f.py}::${test}`;
  const recorded = f.snapshot[name]?.['recorded-content']?.[entry];
  const [status, code] = answer.split(' ');
  const got = {
    status: recorded?.ResponseMetadata?.HTTPStatusCode ?? recorded?.StatusCode,
    code: recorded?.Error?.Code,
  };
  const problems = [];
  if (!recorded) problems.push('no such snapshot entry');
  else {
    if (got.code !== code && !(code === undefined && got.code === status)) problems.push(`recorded code ${got.code}`);
    if (got.status !== undefined && String(got.status) !== status) problems.push(`recorded status ${got.status}`);
    if (!unlisted && !(name in f.validation)) problems.push('test not in the validation file');
  }
  checked++;
  if (problems.length) {
    bad++;
    console.log(`${id}: ${answer} from ${file} › ${test} › ${entry}: ${problems.join('; ')}`);
  }
}
console.log(`${checked} snapshot-sourced cases checked, ${bad} disagree`);
process.exit(bad ? 1 : 0);
