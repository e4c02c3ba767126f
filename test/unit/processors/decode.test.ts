/**
 * The decoder's output is exactly the samples as float32 and their stats, whatever the sample
 * format and wherever the raw chunks split a frame (the typed-array fast path must agree with a
 * per-sample reading of the bytes).
 */
import { randomBytes } from 'node:crypto';
import type { Manifest } from '../../../src/core/session/manifest-types.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';

const FORMATS = [
  ['int16le', 3, 2, (b: Buffer, o: number) => b.readInt16LE(o)],
  ['int32le', 2, 4, (b: Buffer, o: number) => b.readInt32LE(o)],
  ['float32le', 4, 4, (b: Buffer, o: number) => b.readFloatLE(o)],
  ['float64le', 1, 8, (b: Buffer, o: number) => b.readDoubleLE(o)],
] as const;

async function decode(data: Buffer, format: string, channels: number, chunk: number) {
  const outputs: Record<string, Buffer> = {};
  const collect = async (it: AsyncIterable<Buffer>) => {
    const parts: Buffer[] = [];
    for await (const p of it) parts.push(p);
    return Buffer.concat(parts);
  };
  const sink = {
    stream: async (name: string, it: AsyncIterable<Buffer>) => void (outputs[name] = await collect(it)),
    put: async (name: string, body: string | Buffer) => void (outputs[name] = Buffer.from(body)),
  };
  async function* source() {
    for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
  }
  const manifest = {
    sessionId: 'rig-a/20210301_100000',
    variables: { numeric: { channels }, text: { sample_format: format } },
    files: [],
  } as unknown as Manifest;
  await decodeProcessor.processFile({ name: 'd.bin', size: data.length, role: 'data', sha256: '' }, manifest, source(), sink);
  return outputs;
}

describe('decode', () => {
  it.each(FORMATS)('gives every %s sample as float32, and its stats, across odd chunk boundaries', async (format, channels, width, read) => {
    // Prepare: random samples (finite floats), 1,001 frames, chunks that split frames.
    const frames = 1001;
    const data = randomBytes(frames * channels * width);
    for (let o = 0; format.startsWith('float') && o < data.length; o += width) {
      if (width === 4) data.writeFloatLE(Math.random() * 2000 - 1000, o);
      else data.writeDoubleLE(Math.random() * 1e9, o);
    }
    // Act
    const out = await decode(data, format, channels, 997);
    // Assess: the .npy body, then the stats, against a per-sample reading.
    const npy = out['d.npy'];
    const body = npy.subarray(npy.length - frames * channels * 4);
    const expected = Buffer.alloc(frames * channels * 4);
    for (let k = 0; k < frames * channels; k++) expected.writeFloatLE(read(data, k * width), k * 4);
    expect(body.equals(expected)).toBe(true);
    const stats = JSON.parse(out['d.stats.json'].toString()).channels_stats;
    for (let c = 0; c < channels; c++) {
      const xs = Array.from({ length: frames }, (_, i) => read(data, (i * channels + c) * width));
      expect(stats[c]).toMatchObject({ count: frames, min: Math.min(...xs), max: Math.max(...xs), mean: xs.reduce((a, b) => a + b, 0) / frames });
    }
  });
});
