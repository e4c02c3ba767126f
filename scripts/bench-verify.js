#!/usr/bin/env node
// Audit benchmark: fills a fresh local stack with N consistent sessions (raw files + manifest,
// catalog row, output index, outputs, ledger: 10 objects each, written straight to the store),
// then times `recpipe verify` without re-hashing and with the scrub re-hashing every raw object
// and output (the store fits the default budget), and a run whose budget covers a tenth of it.
// Needs `npm run build`.
//
//   node scripts/bench-verify.js [--sessions 10000] [--data-bytes 4000]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--sessions');
const N = i > 0 ? Number(process.argv[i + 1]) : 10000;
const j = process.argv.indexOf('--data-bytes');
const DATA = j > 0 ? Number(process.argv[j + 1]) : 4000;
const { loadConfig } = await import(join(repo, 'dist/config/load.js'));
const { startLocalStack } = await import(join(repo, 'dist/composition/local-stack.js'));
const { nullLogger } = await import(join(repo, 'dist/adapters/log/file-logger.js'));
const { createS3Client } = await import(join(repo, 'dist/adapters/s3/client.js'));
const { S3ObjectStore } = await import(join(repo, 'dist/adapters/s3/object-store.js'));
const { mapLimit } = await import(join(repo, 'dist/core/map-limit.js'));
const layout = await import(join(repo, 'dist/core/layout.js'));

const home = mkdtempSync(join(tmpdir(), 'recpipe-bench-verify-'));
const config = loadConfig({ env: { RECPIPE_HOME: home } }).config;
const stack = await startLocalStack({ config, logger: nullLogger, processing: false });
const client = createS3Client({ region: stack.info.region, endpoint: stack.info.s3, credentials: stack.info.credentials, maxAttempts: 5 });
const raw = new S3ObjectStore(client, stack.info.buckets.raw);
const lake = new S3ObjectStore(client, stack.info.buckets.lake);
const sha = (b) => createHash('sha256').update(b).digest('hex');
const pad = (n) => String(n).padStart(2, '0');

let t = Date.now();
await mapLimit(
  Array.from({ length: N }, (_, k) => k),
  24,
  async (k) => {
    const d = new Date(Date.UTC(2000, 0, 1) + Math.floor(k / 10) * 86400000);
    const session = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(8 + (k % 10))}0000`;
    const ref = { rig: 'bench-rig', session };
    const files = [
      ['data_00.bin', Buffer.alloc(DATA, k % 251)],
      ['metadata.txt', Buffer.from(`channels: 1\nfatigue: ${k % 5}\n`)],
    ];
    for (const [name, body] of files) await raw.put(layout.rawFileKey(ref, name), body, { ifNoneMatch: true });
    const manifest = {
      schema: 'recpipe.manifest/1',
      sessionId: `bench-rig/${session}`,
      rig: 'bench-rig',
      session,
      recordedAt: '',
      metadataFile: 'metadata.txt',
      variables: { numeric: { channels: 1, fatigue: k % 5 }, text: {} },
      files: files.map(([name, body]) => ({ name, role: name === 'metadata.txt' ? 'metadata' : 'data', size: body.length, sha256: sha(body) })),
      fileCount: 2,
      totalBytes: files.reduce((n, [, b]) => n + b.length, 0),
      client: { name: 'recpipe', version: 'bench', host: 'bench', transport: 'api' },
      createdAt: '',
    };
    const manifestBytes = JSON.stringify(manifest);
    await raw.put(layout.manifestKey(ref), manifestBytes, { ifNoneMatch: true });
    await lake.put(
      layout.catalogSessionKey(ref),
      JSON.stringify({
        session_id: manifest.sessionId,
        session,
        file_count: 2,
        total_bytes: manifest.totalBytes,
        manifest_sha256: sha(Buffer.from(manifestBytes)),
        num_vars: manifest.variables.numeric,
        text_vars: {},
      }) + '\n',
    );
    const out = Buffer.alloc(2000, 1);
    const key = layout.processedFileKey(ref, 'default', '1', 'data_00.npy');
    await lake.put(key, out);
    await lake.put(
      layout.catalogFilesKey(ref, 'default', '1'),
      JSON.stringify({
        session_id: manifest.sessionId,
        pipeline: 'default',
        pipeline_version: '1',
        key,
        file: 'data_00.npy',
        bytes: out.length,
        sha256: sha(out),
      }) + '\n',
    );
    await lake.put(
      layout.ledgerKey(ref, 'default', '1'),
      JSON.stringify({
        session_id: manifest.sessionId,
        pipeline: 'default',
        pipeline_version: '1',
        state: 'done',
        attempts: 1,
        updated_at: '2000-01-01T00:00:00Z',
      }),
    );
  },
);
console.log(`populated ${N} sessions (${N * 8} objects) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

async function verify(extra) {
  const start = Date.now();
  const child = spawn(process.execPath, [join(repo, 'bin/recpipe.js'), '--json', 'verify', '--grace-hours', '0', ...extra], {
    env: { ...process.env, RECPIPE_HOME: home },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const code = await new Promise((r) => child.on('exit', r));
  const report = JSON.parse(out);
  if (!report.scanned) throw new Error(`verify failed: ${JSON.stringify(report.error ?? report).slice(0, 500)}`);
  return { seconds: (Date.now() - start) / 1000, code, clean: report.clean, deep: report.scanned.deepChecked, gb: (report.scanned.deepBytes ?? 0) / 1e9 };
}
// The budget is whole GB: a tenth of the store, at least 1 GB, only when the store is that large.
const storeGb = (N * (DATA + 2000 + 30)) / 1e9;
const runs = [
  ['verify --scrub-budget-gb 0', ['--scrub-budget-gb', '0']],
  ['verify (full scrub)', []],
];
if (storeGb >= 10) runs.push([`verify --scrub-budget-gb ${Math.floor(storeGb / 10)}`, ['--scrub-budget-gb', String(Math.floor(storeGb / 10))]]);
try {
  for (const [label, extra] of runs) {
    const r = await verify(extra);
    console.log(`${label.padEnd(30)} ${r.seconds.toFixed(1)} s, exit ${r.code}, clean ${r.clean}, re-hashed ${r.deep} objects (${r.gb.toFixed(2)} GB)`);
  }
} finally {
  client.destroy();
  await stack.close();
  rmSync(home, { recursive: true, force: true });
}
