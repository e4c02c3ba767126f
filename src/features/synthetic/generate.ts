/**
 * Synthetic sessions in the documented input format (docs/data-format.md): a metadata.txt with
 * varied numeric and text variables, and .bin files of interleaved little-endian int16 samples
 * (a sine per channel plus noise). Deterministic for a seed; written in reused chunks so a
 * 600 MB session costs no memory.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { writeCapped } from '../../adapters/fs/write-capped.js';
import { join } from 'node:path';

// Local bindings: hot loops below run millions of times, and global lookups are slow in some hosts (vm contexts).
const { imul, round, sin, PI, floor } = Math;

export interface GenerateOptions {
  /** Folder name, YYYYMMDD_HHMMSS. */
  name: string;
  seed?: number;
  files?: number;
  /** Bytes per data file (rounded down to whole frames). */
  bytesPerFile?: number;
  channels?: number;
  sampleRateHz?: number;
  /** Extra or overriding metadata variables. */
  variables?: Record<string, string | number>;
}

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ['NX-100', 'NX-200', 'QX-7'];
const SUBJECTS = ['m01', 'm02', 'f03', 'f04'];
const NOTES = ['clean run', 'slight drift on ch2', 'cable replaced mid-session', 'subject restless'];

export function syntheticVariables(seed: number, channels: number, sampleRateHz: number): Record<string, string | number> {
  const r = prng(seed ^ 0x9e3779b9);
  const pick = <T>(xs: T[]) => xs[floor(r() * xs.length)];
  return {
    channels,
    sample_rate_hz: sampleRateHz,
    sample_format: 'int16le',
    fatigue: 1 + floor(r() * 5),
    temperature_c: round((20 + r() * 6) * 10) / 10,
    hardware_model: pick(MODELS),
    subject: pick(SUBJECTS),
    notes: pick(NOTES),
  };
}

export async function generateSession(root: string, o: GenerateOptions): Promise<string> {
  const seed = o.seed ?? 1;
  const channels = o.channels ?? 4;
  const rate = o.sampleRateHz ?? 1000;
  const frame = channels * 2;
  const bytes = Math.floor((o.bytesPerFile ?? 64 * 1024) / frame) * frame;
  const dir = join(root, o.name);
  await mkdir(dir, { recursive: true });
  const vars = { ...syntheticVariables(seed, channels, rate), ...(o.variables ?? {}) };
  const text =
    `# recpipe synthetic session ${o.name} (seed ${seed})\n` +
    Object.entries(vars)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n') +
    '\n';
  await writeFile(join(dir, 'metadata.txt'), text);
  const chunk = Buffer.alloc(Math.max(frame, Math.min(bytes, 4 * 1024 * 1024) - (Math.min(bytes, 4 * 1024 * 1024) % frame)));
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
  // Integer frequencies (5 + channel Hz) repeat every `rate` samples: one table per channel.
  const tables = Array.from({ length: channels }, (_, c) => Float64Array.from({ length: rate }, (_, n) => 8000 * sin((2 * PI * (5 + c) * n) / rate)));
  for (let f = 0; f < (o.files ?? 2); f++) {
    const rand = prng(seed * 1000 + f);
    const fh = await open(join(dir, `data_${String(f).padStart(2, '0')}.bin`), 'w');
    let sample = 0;
    try {
      for (let written = 0; written < bytes;) {
        const n = Math.min(chunk.length, bytes - written);
        for (let off = 0; off < n; off += frame, sample++) {
          const i = sample % rate;
          for (let c = 0; c < channels; c++) view.setInt16(off + c * 2, round(tables[c][i] + (rand() - 0.5) * 2000), true);
        }
        await writeCapped(fh, chunk, n);
        written += n;
      }
    } finally {
      await fh.close();
    }
  }
  return dir;
}

/** A few invalid sessions, one per kind of mistake, to show the validator at work. */
export async function generateInvalidSessions(root: string): Promise<string[]> {
  const badDate = await generateSession(root, { name: '20210229_161221', seed: 7, files: 1, bytesPerFile: 4096 });
  const noMeta = join(root, '20210301_090000');
  await mkdir(noMeta, { recursive: true });
  await writeFile(join(noMeta, 'data_00.bin'), Buffer.alloc(4096, 1));
  // A sub-folder blocks (the session is not a flat folder); an empty file would only warn.
  const nested = await generateSession(root, { name: '20210302_090000', seed: 8, files: 1, bytesPerFile: 4096 });
  await mkdir(join(nested, 'extra'));
  return [badDate, noMeta, nested];
}
