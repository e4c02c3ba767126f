import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { spoolBody } from '../../../src/local/s3/spool.js';
import { tempDir } from '../../helpers/tmp.js';

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
    // thread pool; the request fails right after. The late write completion must not surface
    // as an uncaught ERR_STREAM_DESTROYED (it crashed the local stack under kill -9 tests).
    for (let i = 0; i < 20; i++) {
      const body = await spoolBody(
        asRequest(async function* () {
          yield Buffer.alloc(8 * 1024, 1);
          await new Promise((r) => setTimeout(r, 20));
          yield Buffer.alloc(8 * 1024, 2);
          throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
        }),
        dir,
        undefined,
        () => true,
      );
      expect(body).toBeUndefined();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(dir).filter((n) => existsSync(join(dir, n)))).toEqual([]);
  });
});
