/** Part bodies over TLS are handed to the socket a slice at a time (put-transport.ts writeInSlices). */
import { Writable } from 'node:stream';
import type { ClientRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutTransport, TLS_SLICE, writeInSlices } from '../../../src/features/ingest/put-transport.js';

describe('a part body written in slices', () => {
  it('arrives whole and in order, with never more than one slice waiting to be sent', async () => {
    const got: Buffer[] = [];
    let most = 0;
    // A slow consumer, as a TLS socket behind a capped connection.
    const w = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        got.push(Buffer.from(chunk));
        setImmediate(done);
      },
    });
    const write = w.write.bind(w);
    w.write = ((chunk: Buffer) => {
      const ok = write(chunk);
      most = Math.max(most, w.writableLength);
      return ok;
    }) as typeof w.write;
    const body = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    const ended = new Promise((r) => w.on('finish', r));
    await writeInSlices(w as unknown as ClientRequest, body, 4096);
    await ended;
    expect(Buffer.concat(got).equals(body)).toBe(true);
    expect(most).toBeLessThanOrEqual(4096);
  });
});

describe('a part PUT over https', () => {
  it('delivers the part buffer whole (written in slices)', async () => {
    const tls = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tls');
    const cert = readFileSync(join(tls, 'cert.pem'));
    let received = Buffer.alloc(0);
    const server = createServer({ key: readFileSync(join(tls, 'key.pem')), cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = Buffer.concat(chunks);
        res.writeHead(200, { etag: '"e"' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const transport = new PutTransport({ ca: cert });
    try {
      const body = Buffer.from(Array.from({ length: 3 * TLS_SLICE + 12_345 }, (_, i) => (i * 7) % 256));
      const url = `https://localhost:${(server.address() as AddressInfo).port}/raw/k`;
      const r = await transport.put({ url, method: 'PUT', headers: { 'content-length': String(body.length) }, expiresAt: '', key: 'raw/k' }, { buffer: body });
      expect(r.etag).toBe('"e"');
      expect(received.equals(body)).toBe(true);
    } finally {
      transport.close();
      await new Promise((r) => server.close(r));
    }
  });
});
