#!/usr/bin/env node
// Synthetic sessions in the documented format (docs/data-format.md), reproducible by seed:
//   node scripts/gen-sessions.js --root /tmp/rig --count 10 --size-mb 600 --files 6 --seed 1 [--invalid]
// Sizes from a few KB (--size-kb) to 600 MB per session; one folder per day from 2021-02-01.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { generateSession, generateInvalidSessions } = await import(join(repo, 'dist/features/synthetic/generate.js'));
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const root = arg('root');
if (!root) {
  console.error('usage: node scripts/gen-sessions.js --root DIR [--count N] [--size-mb MB | --size-kb KB] [--files N] [--seed S] [--invalid]');
  process.exit(2);
}
const count = Number(arg('count', 3));
const files = Number(arg('files', 6));
const bytes = arg('size-kb') ? Number(arg('size-kb')) * 1024 : Number(arg('size-mb', 6)) * 1e6;
const seed = Number(arg('seed', 1));
for (let i = 0; i < count; i++) {
  const d = new Date(Date.UTC(2021, 1, 1 + i));
  const name = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}_${String(9 + (i % 8)).padStart(2, '0')}3000`;
  const dir = await generateSession(root, { name, seed: seed + i, files, bytesPerFile: Math.floor(bytes / files) });
  console.log(dir);
}
if (process.argv.includes('--invalid')) for (const dir of await generateInvalidSessions(root)) console.log(`${dir} (invalid)`);
