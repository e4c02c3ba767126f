/**
 * Whole-file SHA-256 on a worker thread, so hashing runs on the second core while the main
 * thread reads and sends parts. Files are hashed in the order given; each result resolves its
 * own promise. The worker code is inline (eval) so it runs the same from src/ and dist/.
 */
import { Worker } from 'node:worker_threads';

const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
for (const f of workerData.files) {
  try {
    const fd = openSync(f.path, 'r');
    const h = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      size += n;
    }
    closeSync(fd);
    parentPort.postMessage({ name: f.name, sha256: h.digest('hex'), size });
  } catch (e) {
    parentPort.postMessage({ name: f.name, error: String(e && e.message || e) });
  }
}
`;

export interface HashResult {
  sha256: string;
  size: number;
}

export class HashWorker {
  private readonly worker?: Worker;
  private readonly results = new Map<string, Promise<HashResult>>();

  constructor(files: { name: string; path: string }[]) {
    const resolvers = new Map<string, { resolve: (r: HashResult) => void; reject: (e: Error) => void }>();
    for (const f of files) this.results.set(f.name, new Promise((resolve, reject) => resolvers.set(f.name, { resolve, reject })));
    for (const p of this.results.values()) p.catch(() => undefined);
    if (files.length === 0) return;
    this.worker = new Worker(CODE, { eval: true, workerData: { files } });
    this.worker.on('message', (m: { name: string; sha256?: string; size?: number; error?: string }) => {
      const r = resolvers.get(m.name)!;
      if (m.error) r.reject(new Error(m.error));
      else r.resolve({ sha256: m.sha256!, size: m.size! });
    });
    this.worker.on('error', (e) => resolvers.forEach((r) => r.reject(e)));
  }

  result(name: string): Promise<HashResult> {
    const p = this.results.get(name);
    if (!p) throw new Error(`${name} was not given to the hash worker`);
    return p;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
