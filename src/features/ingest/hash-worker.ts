/**
 * One read of every file on a worker thread (the second core) while the main thread sends:
 * the whole-file SHA-256 (the manifest's) and the CRC32C of each block of `blockSize` bytes, from
 * which the CRC32C of any part is put together (core/ingest/part-crc.ts) before the part is read
 * to be sent. So part URLs can be signed ahead, in batches, bound to checksums of the same
 * bytes the manifest's SHA-256 covers. Files are read in the order given; block CRCs are
 * reported as they come (every few MiB), then each file's SHA-256. The worker code is inline
 * (eval) so it runs the same from src/ and dist/; the native CRC32C is loaded by its path.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BlockCrcs } from '../../core/ingest/part-crc.js';

const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const { crc32c } = require(workerData.crcPath);
const bs = workerData.blockSize;
const buf = Buffer.allocUnsafe(Math.max(bs, Math.floor((4 * 1024 * 1024) / bs) * bs));
for (const f of workerData.files) {
  try {
    const fd = openSync(f.path, 'r');
    const h = createHash('sha256');
    let size = 0;
    let crcs = [];
    let cur = 0, inBlock = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      for (let at = 0; at < n; ) {
        const take = Math.min(bs - inBlock, n - at);
        cur = crc32c(buf.subarray(at, at + take), inBlock === 0 ? 0 : cur);
        inBlock += take;
        at += take;
        if (inBlock === bs) { crcs.push(cur >>> 0); inBlock = 0; }
      }
      size += n;
      if (crcs.length > 0) { parentPort.postMessage({ name: f.name, crcs, bytes: size - inBlock }); crcs = []; }
    }
    closeSync(fd);
    if (inBlock > 0) crcs.push(cur >>> 0);
    parentPort.postMessage({ name: f.name, crcs, bytes: size, sha256: h.digest('hex'), size });
  } catch (e) {
    parentPort.postMessage({ name: f.name, error: String(e && e.message || e) });
  }
}
`;

export interface HashResult {
  sha256: string;
  size: number;
}

interface Message {
  name: string;
  crcs?: number[];
  bytes?: number;
  sha256?: string;
  size?: number;
  error?: string;
}

export class HashWorker {
  private readonly worker?: Worker;
  private readonly results = new Map<string, Promise<HashResult>>();
  private readonly blocks = new Map<string, { blockSize: number; crcs: number[]; bytes: number }>();
  private readonly listeners = new Set<() => void>();
  /** The first read error, once one happened. */
  failure?: Error;

  /** `blockSize`: divides every part size in use (core/ingest/part-crc.ts). */
  constructor(
    files: { name: string; path: string }[],
    readonly blockSize = 1024 * 1024,
  ) {
    const resolvers = new Map<string, { resolve: (r: HashResult) => void; reject: (e: Error) => void }>();
    for (const f of files) {
      this.results.set(f.name, new Promise((resolve, reject) => resolvers.set(f.name, { resolve, reject })));
      this.blocks.set(f.name, { blockSize, crcs: [], bytes: 0 });
    }
    for (const p of this.results.values()) p.catch(() => undefined);
    if (files.length === 0) return;
    const crcPath = createRequire(import.meta.url).resolve('@node-rs/crc32');
    this.worker = new Worker(CODE, { eval: true, workerData: { files, blockSize, crcPath } });
    this.worker.on('message', (m: Message) => {
      const r = resolvers.get(m.name)!;
      if (m.error) {
        this.failure ??= new Error(m.error);
        r.reject(new Error(m.error));
      } else {
        const b = this.blocks.get(m.name)!;
        for (const c of m.crcs ?? []) b.crcs.push(c);
        b.bytes = m.bytes ?? b.bytes;
        if (m.sha256) r.resolve({ sha256: m.sha256, size: m.size! });
      }
      this.listeners.forEach((l) => l());
    });
    this.worker.on('error', (e) => {
      this.failure ??= e;
      resolvers.forEach((r) => r.reject(e));
      this.listeners.forEach((l) => l());
    });
  }

  result(name: string): Promise<HashResult> {
    const p = this.results.get(name);
    if (!p) throw new Error(`${name} was not given to the hash worker`);
    return p;
  }

  /** The block CRC32Cs of `name` read so far. */
  blocksOf(name: string): BlockCrcs {
    const b = this.blocks.get(name);
    if (!b) throw new Error(`${name} was not given to the hash worker`);
    return b;
  }

  /** Calls `listener` whenever more of a file has been read (or reading failed); returns the unsubscribe. */
  onProgress(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.worker?.terminate();
  }
}
