import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { spoolBody } from '../../../src/local/s3/spool.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/cli.js';

const asRequest = (gen: () => AsyncGenerator<Buffer>) => Readable.from(gen()) as unknown as IncomingMessage;

describe('spooling a request body in the gateway', () => {
  it('keeps the body and its checksums when it arrives whole', async () => {
    const dir = tempDir('rp-spool-');
    const body = await spoolBody(
      asRequest(async function* () {
        yield Buffer.from('hello ');
        yield Buffer.from('world');
      }),
      dir,
      undefined,
      () => true,
      { sha256: true },
    );
    expect(body).toMatchObject({ size: 11, sha256Hex: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9' });
    await body!.discard();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('survives a client that goes away while a write is still in flight, and leaves no file', async () => {
    const dir = tempDir('rp-spool-');
    // A chunk under the stream's high-water mark is accepted at once and written in the
    // thread pool; the request fails right after (the earlier chunk already on disk, so this
    // write is the one in flight). The late write completion must not surface
    // as an uncaught ERR_STREAM_DESTROYED (it crashed the local stack under kill -9 tests).
    for (let i = 0; i < 20; i++) {
      const body = await spoolBody(
        asRequest(async function* () {
          yield Buffer.alloc(8 * 1024, 1);
          // Once the first chunk is on disk, the next write goes straight to the thread pool.
          await waitFor(() => readdirSync(dir).some((n) => statSync(join(dir, n)).size >= 8 * 1024), 30_000, 'the first chunk on disk');
          yield Buffer.alloc(8 * 1024, 2);
          throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
        }),
        dir,
        undefined,
        () => true,
      );
      expect(body).toBeUndefined();
    }
    // spoolBody returns once the file is closed and removed: nothing is left to wait for.
    expect(readdirSync(dir)).toEqual([]);
  });
});
