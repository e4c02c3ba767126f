#!/usr/bin/env node
// Watch daemon soak: runs the real daemon loop in this process (wall clock, real timers, an
// in-process local stack) for --minutes at --quiet seconds (poll = quiet/4, at least 250 ms),
// and prints the abort listeners on its signal, its own collections and RSS at intervals.
// A leak shows as a growing listener count; flat numbers are the pass.
// Needs `npm run build`.  node scripts/bench-watch-soak.js [--minutes 5] [--quiet 1] [--every 30]
import { getEventListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const MINUTES = arg('minutes', 5);
const QUIET = arg('quiet', 1);
const EVERY = arg('every', 30);
const dist = (p) => import(join(repo, 'dist', p));
const { loadConfig } = await dist('config/load.js');
const { startLocalStack } = await dist('composition/local-stack.js');
const { nullLogger } = await dist('adapters/log/file-logger.js');
const { generateSession } = await dist('features/synthetic/generate.js');
const { requireApi, resolveEndpoints } = await dist('composition/endpoints.js');
const { HttpIngestApi } = await dist('adapters/http/ingest-client.js');
const { JournalStore } = await dist('adapters/fs/journal-store.js');
const { runWatch } = await dist('features/watch/daemon.js');

const home = mkdtempSync(join(tmpdir(), 'recpipe-bench-soak-'));
const root = join(home, 'rig');
mkdirSync(root);
const env = { ...process.env, RECPIPE_HOME: home };
const config = loadConfig({ env }).config;
const stack = await startLocalStack({ config, logger: nullLogger, processing: false });
const silent = { step() {}, info() {}, warn() {}, succeed() {}, fail() {}, progress() {} };
const mb = () => (process.memoryUsage().rss / 1048576).toFixed(1);
try {
  for (let i = 0; i < 20; i++) await generateSession(root, { name: `201001${String(i + 1).padStart(2, '0')}_120000`, seed: i, files: 1, bytesPerFile: 2048 });
  const { apiUrl, apiKey } = requireApi(resolveEndpoints(loadConfig({ env }).config));
  const ac = new AbortController();
  let loop;
  const started = Date.now();
  const done = runWatch({
    root,
    home,
    api: new HttpIngestApi(apiUrl),
    apiKey,
    journals: new JournalStore(home, nullLogger),
    logger: nullLogger,
    reporter: silent,
    signal: ac.signal,
    once: false,
    quietMs: QUIET * 1000,
    upload: { partSize: 8 << 20, multipartThreshold: 8 << 20, concurrency: 2 },
    onStart: (l) => (loop = l),
  });
  console.log(`watch soak: ${MINUTES} min, quiet period ${QUIET} s, 20 session folders`);
  console.log('elapsed_s  abort_listeners  observations  queue  sessions  rss_mb');
  while (Date.now() - started < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, EVERY * 1000));
    const f = loop.footprint();
    console.log(
      [Math.round((Date.now() - started) / 1000), getEventListeners(ac.signal, 'abort').length, f.observations, f.queue, f.sessions, mb()]
        .map(String)
        .map((s) => s.padStart(8))
        .join(' '),
    );
  }
  ac.abort();
  const summary = await done;
  console.log(`stopped: ${summary.uploaded.length} uploaded; listeners after stop: ${getEventListeners(ac.signal, 'abort').length}`);
} finally {
  await stack.close();
  rmSync(home, { recursive: true, force: true });
}
