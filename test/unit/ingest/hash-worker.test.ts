/**
 * The reading pass gives the same records whether it reads a file once for both checksums or
 * first for its block CRC32Cs and then again for its SHA-256 (multipart files, issue 30): the
 * whole-file SHA-256 and the CRC32C of every block, each block once.
 */
import { crc32c } from '@node-rs/crc32';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashWorker } from '../../../src/features/ingest/hash-worker.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('the reading pass', () => {
  it('gives the same SHA-256 and block CRC32Cs read once, or CRC32Cs first up to a lead past the end or inside a file, and names a file it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rp-hash-'));
    try {
      const bodies: Record<string, Buffer> = {
        'a.txt': randomBytes(100),
        'b.bin': randomBytes(9 * MiB + 300),
        'c.bin': randomBytes(5 * MiB + 7),
        'd.bin': Buffer.alloc(0),
      };
      const files = Object.entries(bodies).map(([name, body]) => {
        writeFileSync(join(dir, name), body);
        return { name, path: join(dir, name), size: body.length };
      });
      const blockSize = 1 * MiB;
      const expected = (body: Buffer) => ({
        sha256: createHash('sha256').update(body).digest('hex'),
        crcs: Array.from({ length: Math.ceil(body.length / blockSize) }, (_, i) => crc32c(body.subarray(i * blockSize, (i + 1) * blockSize)) >>> 0),
      });
      // Read once; CRC32Cs first for all but the first file or for all (a lead past the end); a lead ending inside a file.
      for (const [crcFirstFrom, crcLead] of [
        [files.length, 0],
        [1, 100 * MiB],
        [0, 100 * MiB],
        [1, 5 * MiB],
        [0, 9 * MiB],
      ]) {
        const h = new HashWorker(files, blockSize, crcFirstFrom, crcLead);
        for (const [name, body] of Object.entries(bodies)) {
          const r = await h.result(name);
          const blocks = h.blocksOf(name);
          expect([crcFirstFrom, crcLead, name, r.size, r.sha256, blocks.crcs, blocks.bytes]).toEqual([
            crcFirstFrom,
            crcLead,
            name,
            body.length,
            expected(body).sha256,
            expected(body).crcs,
            body.length,
          ]);
        }
        await h.close();
      }
      const missing = new HashWorker([{ name: 'gone.bin', path: join(dir, 'gone.bin'), size: 10 }, files[1]], blockSize, 0, 4 * MiB);
      await expect(missing.result('gone.bin')).rejects.toThrow(/gone\.bin|ENOENT/);
      expect((await missing.result('b.bin')).sha256).toBe(expected(bodies['b.bin']).sha256);
      await missing.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
