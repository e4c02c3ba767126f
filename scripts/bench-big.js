#!/usr/bin/env node
// Big-file processing benchmark (issue 19): one session holding a single large data file (5 GiB
// by default, a sparse file made with truncate: zeros decode like any samples) goes into the
// embedded stack's raw bucket (streamed multipart put through the verifying gateway), then a
// separate process runs the stack's processing on it (verify -> decode -> streamed outputs ->
// index) under PROCESS_LIMITS, and reports its own peak RSS. Prints one line per phase and
// a summary; fails (exit 1) when processing does not end `done` or peak RSS >= --max-rss-mb.
// Needs `npm run build` and about 3x --gib free disk (raw object, its parts, the .npy output).
//
//   node scripts/bench-big.js [--gib 5] [--channels 4] [--format float32le|int16le] [--max-rss-mb 200]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const REF = { rig: 'bench-rig', session: '20210301_120000' };

if (process.argv.includes('--child')) await child();
else await parent();

async function stores(info) {
  const { createS3Client } = await import(new URL('adapters/s3/client.js', dist));
  const { S3ObjectStore } = await import(new URL('adapters/s3/object-store.js', dist));
  const client = createS3Client({ region: info.region, endpoint: info.s3, credentials: info.credentials });
  return { client, raw: new S3ObjectStore(client, info.buckets.raw), lake: new S3ObjectStore(client, info.buckets.lake) };
}

/** The measured process: processing only, nothing else in its heap. */
async function child() {
  const info = JSON.parse(process.env.BENCH_STACK);
  const { processSession } = await import(new URL('features/process/process-session.js', dist));
  const { decodeProcessor } = await import(new URL('features/process/steps/decode.js', dist));
  const { nullLogger } = await import(new URL('adapters/log/file-logger.js', dist));
  const { client, raw, lake } = await stores(info);
  const t0 = process.hrtime.bigint();
  const outcome = await processSession(REF, { raw, lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // CPU the processing itself spent (user + system): what the function is billed for and limited by.
  const { user, system } = process.cpuUsage();
  client.destroy();
  process.stdout.write(JSON.stringify({ outcome, seconds, cpuSeconds: (user + system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

async function parent() {
  const GIB = arg('gib', 5);
  const CHANNELS = arg('channels', 4);
  const i = process.argv.indexOf('--format');
  const FORMAT = i > 0 ? process.argv[i + 1] : 'float32le';
  const MAX_RSS = arg('max-rss-mb', 200);
  const size = Math.round(GIB * 2 ** 30);
  const { startLocalStack } = await import(new URL('composition/local-stack.js', dist));
  const { loadConfig } = await import(new URL('config/load.js', dist));
  const { nullLogger } = await import(new URL('adapters/log/file-logger.js', dist));
  const { PROCESS_LIMITS } = await import(new URL('config/platform-limits.js', dist));
  const home = mkdtempSync(join(tmpdir(), 'recpipe-bench-big-'));
  const file = join(home, 'data.bin');
  const stack = await startLocalStack({ config: loadConfig({ env: { RECPIPE_HOME: home } }).config, logger: nullLogger, processing: false });
  const { client, raw, lake } = await stores(stack.info);
  try {
    const fd = openSync(file, 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
    const h = createHash('sha256');
    for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(c);
    const sha256 = h.digest('hex');
    let t = Date.now();
    await raw.putStream(`raw/${REF.rig}/${REF.session}/data.bin`, createReadStream(file, { highWaterMark: 1 << 20 }), { sizeHint: size });
    console.log(`raw put (streamed multipart, checksummed): ${GIB} GiB in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    rmSync(file);
    const meta = Buffer.from(`channels: ${CHANNELS}\nsample_format: ${FORMAT}\n`);
    await raw.putStream(`raw/${REF.rig}/${REF.session}/metadata.txt`, [meta]);
    const manifest = {
      schema: 'recpipe.manifest/1',
      sessionId: `${REF.rig}/${REF.session}`,
      rig: REF.rig,
      session: REF.session,
      recordedAt: '2021-03-01T12:00:00',
      metadataFile: 'metadata.txt',
      variables: { numeric: { channels: CHANNELS }, text: { sample_format: FORMAT } },
      files: [
        { name: 'data.bin', role: 'data', size, sha256 },
        { name: 'metadata.txt', role: 'metadata', size: meta.length, sha256: createHash('sha256').update(meta).digest('hex') },
      ],
      fileCount: 2,
      totalBytes: size + meta.length,
      client: { name: 'bench-big', version: '1', host: 'bench', transport: 'direct' },
      createdAt: new Date().toISOString(),
    };
    await raw.putStream(`raw/${REF.rig}/${REF.session}/_manifest.json`, [Buffer.from(JSON.stringify(manifest))]);
    t = Date.now();
    const out = await new Promise((resolve, reject) => {
      const c = spawn(process.execPath, [new URL(import.meta.url).pathname, '--child'], {
        env: { ...process.env, BENCH_STACK: JSON.stringify(stack.info) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      c.stdout.on('data', (d) => (text += d));
      c.on('error', reject);
      c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`processing child exited ${code}`))));
    });
    const npy = await lake.head(`processed/default/1/${REF.rig}/${REF.session}/data.npy`);
    const mbps = (2 * size) / 1e6 / out.seconds;
    console.log(
      `processing: ${out.outcome.status} in ${out.seconds.toFixed(1)} s (raw read twice: verify + decode, ${mbps.toFixed(0)} MB/s of raw read), .npy ${npy?.size ?? 'missing'} bytes`,
    );
    console.log(
      `processing CPU: ${out.cpuSeconds.toFixed(1)} s user+system, ${(out.cpuSeconds / GIB).toFixed(1)} CPU s per GiB (the rate src/core/process/route.ts predicts run time from)`,
    );
    console.log(
      `processing peak RSS: ${out.maxRssMb.toFixed(0)} MB (target < ${MAX_RSS} MB; the function has ${PROCESS_LIMITS.memoryMb} MB, /tmp used: 0 of ${PROCESS_LIMITS.ephemeralStorageMb} MB, timeout ${PROCESS_LIMITS.timeoutSec} s)`,
    );
    if (out.outcome.status !== 'done' || out.maxRssMb >= MAX_RSS) process.exitCode = 1;
  } finally {
    client.destroy();
    await stack.close();
    rmSync(home, { recursive: true, force: true });
  }
}
