/**
 * In-memory stores for processing tests. The raw store serves one big data file that exists
 * only as a generator (zeros with a ramp, produced chunk by chunk), so a test can prove the
 * processing path never holds a whole file: every read is recorded, and `get` of a data key fails.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { manifestKey, rawFileKey, type SessionRef } from '../../../src/core/layout.js';
import type { ObjectInfo, PutOptions } from '../../../src/core/ports.js';
import type { Manifest } from '../../../src/core/session/manifest-types.js';

export const REF: SessionRef = { rig: 'rig-a', session: '20210301_100000' };
export const CHUNK = 64 * 1024;

/** Chunk `i` of the synthetic file (deterministic, never kept). */
const chunkAt = (i: number, size: number) => {
  const n = Math.min(CHUNK, size - i * CHUNK);
  const b = Buffer.alloc(n);
  b.writeUInt8(i % 256, 0);
  return b;
};

export function syntheticSha(size: number): string {
  const h = createHash('sha256');
  for (let i = 0; i * CHUNK < size; i++) h.update(chunkAt(i, size));
  return h.digest('hex');
}

/** A raw store whose `data.bin` of `size` bytes streams from a generator; records reads. */
export class StreamingRawStore extends MemoryObjectStore {
  readonly reads: { key: string; via: 'get' | 'stream' }[] = [];
  constructor(
    private readonly dataKey: string,
    private readonly size: number,
  ) {
    super('raw-bucket');
  }
  override async head(key: string): Promise<ObjectInfo | undefined> {
    return key === this.dataKey ? { key, size: this.size, etag: '"synthetic"' } : super.head(key);
  }
  override async get(key: string): Promise<Buffer> {
    this.reads.push({ key, via: 'get' });
    if (key === this.dataKey) throw new Error(`whole-file read of ${key}`);
    return super.get(key);
  }
  override async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    this.reads.push({ key, via: 'stream' });
    if (key !== this.dataKey) return super.getStream(key, range);
    const size = this.size;
    return Readable.from(
      (function* () {
        for (let i = 0; i * CHUNK < size; i++) yield chunkAt(i, size);
      })(),
    );
  }
}

/** A lake that records the size of every whole-body put. */
export class RecordingLake extends MemoryObjectStore {
  readonly putSizes: { key: string; bytes: number }[] = [];
  constructor() {
    super('lake-bucket');
  }
  override async put(key: string, body: Buffer | string, options?: PutOptions): Promise<ObjectInfo> {
    this.putSizes.push({ key, bytes: Buffer.byteLength(body) });
    return super.put(key, body, options);
  }
}

/** A committed session with one `data.bin` (int16, 2 channels) of `size` bytes and a metadata file. */
export async function bigSession(size: number): Promise<{ raw: StreamingRawStore; lake: RecordingLake; manifest: Manifest }> {
  const raw = new StreamingRawStore(rawFileKey(REF, 'data.bin'), size);
  const meta = Buffer.from('channels: 2\n');
  await raw.put(rawFileKey(REF, 'metadata.txt'), meta);
  const manifest: Manifest = {
    schema: 'recpipe.manifest/1',
    sessionId: `${REF.rig}/${REF.session}`,
    rig: REF.rig,
    session: REF.session,
    recordedAt: '2021-03-01T10:00:00',
    metadataFile: 'metadata.txt',
    variables: { numeric: { channels: 2 }, text: {} },
    files: [
      { name: 'data.bin', role: 'data', size, sha256: syntheticSha(size) },
      { name: 'metadata.txt', role: 'metadata', size: meta.length, sha256: createHash('sha256').update(meta).digest('hex') },
    ],
    fileCount: 2,
    totalBytes: size + meta.length,
    client: { name: 'recpipe', version: 't', host: 't', transport: 'api' },
    createdAt: '2021-03-01T10:00:00Z',
  };
  await raw.put(manifestKey(REF), JSON.stringify(manifest));
  return { raw, lake: new RecordingLake(), manifest };
}
