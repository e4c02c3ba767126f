/**
 * One read of every file on a worker thread (the second core) while the main thread sends:
 * the whole-file SHA-256 (the manifest's) and the CRC32C of each block of `blockSize` bytes, from
 * which the CRC32C of any part is put together (core/ingest/part-crc.ts) before the part is read
 * to be sent. So part URLs can be signed ahead, in batches, bound to checksums of the same
 * bytes the manifest's SHA-256 covers. Files are read in the order given; block CRCs are
 * reported as they come (every few MiB), then each file's SHA-256. Every part URL waits for its
 * CRC32Cs, the first batch for 128 MiB of them (issue 30), while a multipart file's SHA-256 is
 * only needed by the manifest at the end, and CRC32C is several times faster than SHA-256: so
 * multipart files are read for their CRCs first (128 MiB in ~50 ms instead of ~140 here), up to
 * CRC_LEAD bytes, then again, from the page cache, for their SHA-256. A file that changes between the two reads is
 * caught as any change after hashing: the store refuses bytes that do not match a part's CRC32C,
 * and the commit re-stats every file (upload-commit.ts). The worker code is inline
 * (eval) so it runs the same from src/ and dist/; the native CRC32C is loaded by its path.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { INITIAL_AHEAD } from '../../core/ingest/batch-policy.js';
import type { BlockCrcs } from '../../core/ingest/part-crc.js';

/**
 * How far the CRC-only read goes ahead of the SHA-256 read: what the first batches sign ahead
 * (1 GiB). Past it a file is read once: a session larger than the page cache is not read from
 * the disk twice over.
 */
export const CRC_LEAD = INITIAL_AHEAD;

const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const { crc32c } = require(workerData.crcPath);
const bs = workerData.blockSize;
const buf = Buffer.allocUnsafe(Math.max(bs, Math.floor((4 * 1024 * 1024) / bs) * bs));
const failed = new Set();
// One read of a file: the block CRC32Cs of what lies at or past \`skip\` (a whole number of
// chunks), and the SHA-256 when \`sha\`; a read without SHA stops once \`limit\` bytes are read.
function read(f, skip, sha, limit) {
  const fd = openSync(f.path, 'r');
  try {
    const h = sha ? createHash('sha256') : undefined;
    let size = 0;
    let crcs = [];
    let cur = 0, inBlock = 0;
    for (;;) {
      // Only between whole chunks (a shorter read is the file's end, read to its end).
      if (size >= limit && size % buf.length === 0) return size;
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      if (h) h.update(buf.subarray(0, n));
      if (size >= skip) {
        for (let at = 0; at < n; ) {
          const take = Math.min(bs - inBlock, n - at);
          cur = crc32c(buf.subarray(at, at + take), inBlock === 0 ? 0 : cur);
          inBlock += take;
          at += take;
          if (inBlock === bs) { crcs.push(cur >>> 0); inBlock = 0; }
        }
      }
      size += n;
      if (crcs.length > 0) { parentPort.postMessage({ name: f.name, crcs, bytes: size - inBlock }); crcs = []; }
    }
    if (inBlock > 0) crcs.push(cur >>> 0);
    const end = { name: f.name, crcs, bytes: size };
    parentPort.postMessage(h ? { ...end, sha256: h.digest('hex'), size } : end);
    return Infinity;
  } finally {
    closeSync(fd);
  }
}
function each(fn) {
  for (const [i, f] of workerData.files.entries()) {
    if (failed.has(f.name)) continue;
    try {
      fn(f, i);
    } catch (e) {
      failed.add(f.name);
      parentPort.postMessage({ name: f.name, error: String(e && e.message || e) });
    }
  }
}
// The files from \`crcFirstFrom\` on are read for their block CRC32Cs alone first (several times
// faster than SHA-256; every part URL waits for them), up to \`crcLead\` bytes in all, then read
// for their SHA-256 (which only the manifest needs, at the end) and the CRC32Cs past the lead.
// The files before it (single PUTs, whose URL signs the SHA-256) are read once, for both, first.
const from = workerData.crcFirstFrom;
const covered = new Map();
let lead = workerData.crcLead;
each((f, i) => {
  if (i < from) return read(f, 0, true, Infinity);
  if (lead <= 0) return;
  const got = read(f, 0, false, lead);
  covered.set(f.name, got);
  lead -= got === Infinity ? f.size || 0 : got;
});
each((f, i) => i >= from && covered.get(f.name) !== Infinity && read(f, covered.get(f.name) ?? 0, true, Infinity));
each((f, i) => i >= from && covered.get(f.name) === Infinity && read(f, Infinity, true, Infinity));
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

  /**
   * `blockSize`: divides every part size in use (core/ingest/part-crc.ts); `crcFirstFrom`: the
   * files from this index on (the upload's multipart files, with their sizes) are read for their
   * block CRC32Cs first, up to `crcLead` bytes in all, and for their SHA-256 after; the others are
   * read once, first.
   */
  constructor(
    files: { name: string; path: string; size?: number }[],
    readonly blockSize = 1024 * 1024,
    crcFirstFrom = files.length,
    crcLead = CRC_LEAD,
  ) {
    const resolvers = new Map<string, { resolve: (r: HashResult) => void; reject: (e: Error) => void }>();
    for (const f of files) {
      this.results.set(f.name, new Promise((resolve, reject) => resolvers.set(f.name, { resolve, reject })));
      this.blocks.set(f.name, { blockSize, crcs: [], bytes: 0 });
    }
    for (const p of this.results.values()) p.catch(() => undefined);
    if (files.length === 0) return;
    const crcPath = createRequire(import.meta.url).resolve('@node-rs/crc32');
    this.worker = new Worker(CODE, { eval: true, workerData: { files, blockSize, crcPath, crcFirstFrom, crcLead } });
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
