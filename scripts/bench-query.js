#!/usr/bin/env node
// Query benchmark: catalogs of 3,650 / 36,500 / 365,000 sessions (1, 10, 100 years at 10 a day),
// written as the compacted mirror the DuckDB engine reads; prints the load time and the warm
// time of a filter over a numeric and a text variable. Needs `npm run build` first.
//
//   node scripts/bench-query.js [--sizes 3650,36500,365000] [--runs 7]
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { CatalogMirror } = await import(join(repo, 'dist/adapters/duckdb/catalog-mirror.js'));
const { DuckDbEngine } = await import(join(repo, 'dist/adapters/duckdb/duckdb-engine.js'));
const { compileQuery } = await import(join(repo, 'dist/core/query/compile.js'));
const { parseTerm } = await import(join(repo, 'dist/core/query/filter.js'));
const { prng } = await import(join(repo, 'dist/features/synthetic/generate.js'));

const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const sizes = arg('sizes', '3650,36500,365000').split(',').map(Number);
const runs = Number(arg('runs', 7));
const models = ['NX-100', 'NX-200', 'QX-7'];

async function writeLines(path, n, line) {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) if (!out.write(line(i) + '\n')) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
function sessionName(i) {
  const day = Math.floor(i / 10);
  const d = new Date(Date.UTC(1990, 0, 1) + day * 86400000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(9 + (i % 10))}0000`;
}

console.log('sessions   load+index ms   warm query ms (median of ' + runs + ')   matching files');
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'recpipe-bench-query-'));
  const mirror = new CatalogMirror(undefined, dir);
  const r = prng(n);
  await writeLines(mirror.compactPath('sessions'), n, (i) => {
    const s = sessionName(i);
    const rec = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(9, 11)}:00:00`;
    return JSON.stringify({
      session_id: `rig-${i % 3}/${s}`,
      rig: `rig-${i % 3}`,
      session: s,
      recorded_at: rec,
      uploaded_at: rec,
      file_count: 7,
      total_bytes: 600e6,
      raw_prefix: '',
      manifest_sha256: '',
      metadata_file: 'metadata.txt',
      num_vars: { fatigue: 1 + Math.floor(r() * 5), temperature_c: 20 + r() * 6 },
      text_vars: { hardware_model: models[Math.floor(r() * 3)], notes: 'run' },
      registered_at: rec,
    });
  });
  await writeLines(mirror.compactPath('processed_files'), n * 2, (j) => {
    const i = Math.floor(j / 2);
    const s = sessionName(i);
    const id = `rig-${i % 3}/${s}`;
    return JSON.stringify({
      session_id: id,
      pipeline: 'default',
      pipeline_version: '1',
      key: `processed/default/1/${id}/f${j % 2}.npy`,
      file: `f${j % 2}.npy`,
      bytes: 1000,
      sha256: 'a'.repeat(64),
      created_at: '',
    });
  });
  writeFileSync(mirror.compactPath('ledger'), '');
  let t = performance.now();
  const engine = await DuckDbEngine.open(mirror, false);
  const load = performance.now() - t;
  const fields = await engine.knownFields();
  const q = compileQuery(
    { terms: ['fatigue>=4', 'hardware_model=NX-200'].map(parseTerm), from: '1990-06-01', pipeline: 'default', pipelineVersion: '1' },
    fields,
    'duckdb',
    { sessions: 'sessions', files: 'processed_files' },
  );
  const times = [];
  let rows = 0;
  for (let k = 0; k < runs + 1; k++) {
    t = performance.now();
    rows = (await engine.query(q.sql, q.params)).length;
    if (k > 0) times.push(performance.now() - t);
  }
  engine.close();
  times.sort((a, b) => a - b);
  console.log(
    `${String(n).padStart(8)}   ${load.toFixed(0).padStart(13)}   ${times[Math.floor(times.length / 2)].toFixed(1).padStart(30)}   ${String(rows).padStart(14)}`,
  );
}
