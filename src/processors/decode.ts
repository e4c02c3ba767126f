/**
 * The built-in processor, `decode` v1: each `.bin` data file (interleaved little-endian
 * samples, layout from the metadata's channels / sample_format) becomes
 *   <name>.npy         float32 array, shape (samples, channels), C order (numpy.load reads it)
 *   <name>.stats.json  per channel: count, min, max, mean, std, rms
 * It streams: the .npy header needs the frame count up front, and that follows from the
 * manifest's file size and the layout, so samples are converted chunk by chunk as the raw
 * object downloads and uploaded as they are converted. Memory does not grow with file size.
 * Content problems do not fail a run (docs/data-format.md): a last frame cut short is left out
 * and reported, and `.bin` files the metadata gives no layout for are not decoded, and reported.
 */
import { RecpipeError } from '../core/errors.js';
import type { Manifest, ManifestFile } from '../core/session/manifest-types.js';
import { binaryLayout } from '../core/session/schema.js';
import { npyHeader } from './npy.js';
import type { Dropped, StreamingProcessor } from './processor.js';

type Layout = NonNullable<ReturnType<typeof binaryLayout>>;
interface ChannelStats { count: number; min: number; max: number; sum: number; sumSq: number }

function layoutOf(manifest: Manifest): Layout {
  const layout = binaryLayout(manifest.variables);
  if (!layout) throw new RecpipeError('failed', `${manifest.sessionId}: the metadata does not say how to decode the data (channels, sample_format)`);
  return layout;
}

const binFiles = (manifest: Manifest) => manifest.files.filter((f) => /\.bin$/i.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export const decodeProcessor: StreamingProcessor = {
  kind: 'stream',
  name: 'decode',
  version: '1',
  params: { output: 'float32 .npy + per-channel stats' },
  plan(manifest) {
    return binaryLayout(manifest.variables) ? binFiles(manifest) : [];
  },
  unprocessed(manifest) {
    if (binaryLayout(manifest.variables)) return [];
    return binFiles(manifest).map((f) => ({ file: f.name, bytes: f.size, reason: 'not decoded: the metadata gives no valid channels / sample_format' }));
  },
  async processFile(file, manifest, source, out, signal) {
    const layout = layoutOf(manifest);
    const base = file.name.replace(/\.bin$/i, '');
    const frames = Math.floor(file.size / (layout.channels * layout.bytesPerSample));
    const header = npyHeader('<f4', frames, layout.channels);
    const stats = Array.from({ length: layout.channels }, (): ChannelStats => ({ count: 0, min: Infinity, max: -Infinity, sum: 0, sumSq: 0 }));
    await out.stream(`${base}.npy`, decodeSamples(file, source, layout, frames, header, stats, signal), header.length + frames * layout.channels * 4);
    await out.put(`${base}.stats.json`, statsJson(file.name, layout, frames, stats));
    const tail = file.size - frames * layout.channels * layout.bytesPerSample;
    if (tail > 0) return { file: file.name, bytes: tail, reason: `last frame cut short: ${tail} of ${layout.channels * layout.bytesPerSample} bytes, not decoded` } satisfies Dropped;
  },
};

/** Yields the .npy header, then float32 frames converted from each chunk as it arrives. */
async function* decodeSamples(file: ManifestFile, source: AsyncIterable<Buffer>, layout: Layout, frames: number, header: Buffer, stats: ChannelStats[], signal?: AbortSignal): AsyncGenerator<Buffer> {
  const { channels, bytesPerSample, format } = layout;
  const frame = channels * bytesPerSample;
  const read = { int16le: (b: Buffer, o: number) => b.readInt16LE(o), int32le: (b: Buffer, o: number) => b.readInt32LE(o), float32le: (b: Buffer, o: number) => b.readFloatLE(o), float64le: (b: Buffer, o: number) => b.readDoubleLE(o) }[format];
  yield header;
  let carry: Buffer = Buffer.alloc(0);
  let done = 0;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    // A frame can straddle two chunks: the tail (less than one frame) waits for the next one.
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const n = Math.min(Math.floor(buf.length / frame), frames - done);
    if (n > 0) {
      const outBuf = Buffer.allocUnsafe(n * channels * 4);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < channels; c++) {
          const v = read(buf, i * frame + c * bytesPerSample);
          outBuf.writeFloatLE(v, (i * channels + c) * 4);
          const s = stats[c];
          s.count++;
          if (v < s.min) s.min = v;
          if (v > s.max) s.max = v;
          s.sum += v;
          s.sumSq += v * v;
        }
      }
      done += n;
      yield outBuf;
    }
    carry = Buffer.from(buf.subarray(n * frame));
  }
  if (done < frames) throw new RecpipeError('integrity', `${file.name} ended after ${done} of ${frames} frames while it was decoded`);
}

function statsJson(source: string, layout: Layout, frames: number, stats: ChannelStats[]): string {
  const perChannel = stats.map((s, c) => {
    const mean = s.count ? s.sum / s.count : 0;
    const variance = s.count ? Math.max(0, s.sumSq / s.count - mean * mean) : 0;
    return { channel: c, count: s.count, min: s.count ? s.min : null, max: s.count ? s.max : null, mean, std: Math.sqrt(variance), rms: s.count ? Math.sqrt(s.sumSq / s.count) : 0 };
  });
  return JSON.stringify({ source, format: layout.format, channels: layout.channels, samples: frames, sample_rate_hz: layout.sampleRateHz ?? null, channels_stats: perChannel }, null, 2) + '\n';
}
