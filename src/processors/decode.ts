/**
 * The built-in processor, `decode` v1: each `.bin` data file (interleaved little-endian
 * samples, layout from the metadata's channels / sample_format) becomes
 *   <name>.npy         float32 array, shape (samples, channels), C order (numpy.load reads it)
 *   <name>.stats.json  per channel: count, min, max, mean, std, rms
 * Streams through a reused buffer; memory does not grow with file size.
 */
import { open, readdir, writeFile } from 'node:fs/promises';
import { writeCapped } from '../adapters/fs/write-capped.js';
import { join } from 'node:path';
import { RecpipeError } from '../core/errors.js';
import { binaryLayout } from '../core/session/schema.js';
import { npyHeader } from './npy.js';
import type { Processor } from './processor.js';

const CHUNK_FRAMES = 64 * 1024;

export const decodeProcessor: Processor = {
  name: 'decode',
  version: '1',
  params: { output: 'float32 .npy + per-channel stats' },
  async run(input, outputDir, signal) {
    const layout = binaryLayout(input.manifest.variables);
    if (!layout) {
      throw new RecpipeError('failed', `${input.manifest.sessionId}: the metadata does not say how to decode the data (channels, sample_format)`, { hint: 'add "channels: N" (and sample_format) to the metadata, or configure an external processor' });
    }
    const names = (await readdir(input.dir)).filter((n) => /\.bin$/i.test(n)).sort();
    for (const name of names) {
      signal?.throwIfAborted();
      await decodeFile(join(input.dir, name), join(outputDir, name.replace(/\.bin$/i, '')), layout);
    }
  },
};

async function decodeFile(path: string, outBase: string, layout: NonNullable<ReturnType<typeof binaryLayout>>): Promise<void> {
  const { channels, bytesPerSample, format } = layout;
  const frame = channels * bytesPerSample;
  const src = await open(path, 'r');
  const size = (await src.stat()).size;
  const frames = Math.floor(size / frame);
  const out = await open(`${outBase}.npy`, 'w');
  const inBuf = Buffer.allocUnsafe(CHUNK_FRAMES * frame);
  const outBuf = Buffer.allocUnsafe(CHUNK_FRAMES * channels * 4);
  const stats = Array.from({ length: channels }, () => ({ count: 0, min: Infinity, max: -Infinity, sum: 0, sumSq: 0 }));
  const read = { int16le: (b: Buffer, o: number) => b.readInt16LE(o), int32le: (b: Buffer, o: number) => b.readInt32LE(o), float32le: (b: Buffer, o: number) => b.readFloatLE(o), float64le: (b: Buffer, o: number) => b.readDoubleLE(o) }[format];
  try {
    await out.write(npyHeader('<f4', frames, channels));
    for (let done = 0; done < frames; ) {
      const n = Math.min(CHUNK_FRAMES, frames - done);
      const { bytesRead } = await src.read(inBuf, 0, n * frame, done * frame);
      if (bytesRead < n * frame) throw new RecpipeError('integrity', `${path} became shorter while it was decoded`);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < channels; c++) {
          const v = read(inBuf, i * frame + c * bytesPerSample);
          outBuf.writeFloatLE(v, (i * channels + c) * 4);
          const s = stats[c];
          s.count++;
          if (v < s.min) s.min = v;
          if (v > s.max) s.max = v;
          s.sum += v;
          s.sumSq += v * v;
        }
      }
      await writeCapped(out, outBuf, n * channels * 4);
      done += n;
    }
  } finally {
    await src.close();
    await out.close();
  }
  const perChannel = stats.map((s, c) => {
    const mean = s.count ? s.sum / s.count : 0;
    const variance = s.count ? Math.max(0, s.sumSq / s.count - mean * mean) : 0;
    return { channel: c, count: s.count, min: s.count ? s.min : null, max: s.count ? s.max : null, mean, std: Math.sqrt(variance), rms: s.count ? Math.sqrt(s.sumSq / s.count) : 0 };
  });
  await writeFile(`${outBase}.stats.json`, JSON.stringify({ source: path.split('/').pop(), format, channels, samples: frames, sample_rate_hz: layout.sampleRateHz ?? null, channels_stats: perChannel }, null, 2) + '\n');
}
