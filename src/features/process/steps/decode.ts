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
import { RecpipeError } from '../../../core/errors.js';
import type { Manifest, ManifestFile } from '../../../core/session/manifest-types.js';
import { binaryLayout } from '../../../core/session/schema.js';
import { npyHeader } from './npy.js';
import type { Dropped, StreamingProcessor } from './processor.js';

type Layout = NonNullable<ReturnType<typeof binaryLayout>>;
interface ChannelStats {
  count: number;
  min: number;
  max: number;
  sum: number;
  sumSq: number;
}

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
    if (tail > 0)
      return {
        file: file.name,
        bytes: tail,
        reason: `last frame cut short: ${tail} of ${layout.channels * layout.bytesPerSample} bytes, not decoded`,
      } satisfies Dropped;
  },
};

/** Typed-array views per sample format: the machine's byte order, so used only on little-endian hosts. */
const VIEWS = { int16le: Int16Array, int32le: Int32Array, float32le: Float32Array, float64le: Float64Array } as const;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts `n` whole frames at the start of `buf` to float32 and adds them to `stats`. On a
 * little-endian host (x86, Graviton: every Lambda) the samples are read through a typed array
 * over an aligned copy, about 4x less CPU than one Buffer read per sample; elsewhere they are
 * read per sample first. Both give the same bytes and the same sums (the same values in the same order).
 */
function convert(buf: Buffer, n: number, layout: Layout, stats: ChannelStats[]): Buffer {
  const { channels, bytesPerSample, format } = layout;
  const samples = n * channels;
  const out = new Float32Array(samples);
  let src: Int16Array | Int32Array | Float32Array | Float64Array;
  if (LITTLE_ENDIAN) {
    const aligned = new Uint8Array(samples * bytesPerSample);
    aligned.set(buf.subarray(0, samples * bytesPerSample));
    src = new VIEWS[format](aligned.buffer);
  } else {
    const get = {
      int16le: (o: number) => buf.readInt16LE(o),
      int32le: (o: number) => buf.readInt32LE(o),
      float32le: (o: number) => buf.readFloatLE(o),
      float64le: (o: number) => buf.readDoubleLE(o),
    }[format];
    src = Float64Array.from({ length: samples }, (_, k) => get(k * bytesPerSample));
  }
  for (let c = 0; c < channels; c++) {
    const s = stats[c];
    let { min, max, sum, sumSq } = s;
    for (let k = c; k < samples; k += channels) {
      const v = src[k];
      out[k] = v;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
    }
    Object.assign(s, { count: s.count + n, min, max, sum, sumSq });
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Yields the .npy header, then float32 frames converted from each chunk as it arrives. */
async function* decodeSamples(
  file: ManifestFile,
  source: AsyncIterable<Buffer>,
  layout: Layout,
  frames: number,
  header: Buffer,
  stats: ChannelStats[],
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const frame = layout.channels * layout.bytesPerSample;
  yield header;
  let carry: Buffer = Buffer.alloc(0);
  let done = 0;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    // A frame can straddle two chunks: the tail (less than one frame) waits for the next one.
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const n = Math.min(Math.floor(buf.length / frame), frames - done);
    if (n > 0) {
      done += n;
      yield convert(buf, n, layout, stats);
    }
    carry = Buffer.from(buf.subarray(n * frame));
  }
  if (done < frames) throw new RecpipeError('integrity', `${file.name} ended after ${done} of ${frames} frames while it was decoded`);
}

function statsJson(source: string, layout: Layout, frames: number, stats: ChannelStats[]): string {
  const perChannel = stats.map((s, c) => {
    const mean = s.count ? s.sum / s.count : 0;
    const variance = s.count ? Math.max(0, s.sumSq / s.count - mean * mean) : 0;
    return {
      channel: c,
      count: s.count,
      min: s.count ? s.min : null,
      max: s.count ? s.max : null,
      mean,
      std: Math.sqrt(variance),
      rms: s.count ? Math.sqrt(s.sumSq / s.count) : 0,
    };
  });
  return (
    JSON.stringify(
      { source, format: layout.format, channels: layout.channels, samples: frames, sample_rate_hz: layout.sampleRateHz ?? null, channels_stats: perChannel },
      null,
      2,
    ) + '\n'
  );
}
