/** --bwlimit on the wire: PutTransport takes every body byte from the bucket before writing it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { parseBwlimit } from '../../../src/core/ingest/bwlimit.js';
import { PutTransport } from '../../../src/features/ingest/put-transport.js';
import { Throttle } from '../../../src/features/ingest/throttle.js';

let server: Server;
let url: string;
let dir: string;
const received: Buffer[] = [];
const transport = new PutTransport();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rp-throttled-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks));
      res.writeHead(200, { etag: '"e"' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/raw/k`;
});
afterAll(async () => {
  transport.close();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const request = () => ({ url, method: 'PUT' as const, headers: {}, expiresAt: '', key: 'raw/k' });

describe('a throttled PUT', () => {
  it('sends a part buffer whole, at the capped rate on the injected clock', async () => {
    const clock = new ManualClock(new Date(2026, 0, 1, 12));
    const body = Buffer.alloc(1024 * 1024, 3);
    await transport.put(request(), { buffer: body }, undefined, new Throttle(parseBwlimit('256K'), clock));
    expect(received.pop()!.equals(body)).toBe(true);
    // 1 MiB at 256 KiB/s: the first slice goes at once, the other three wait a second each.
    expect(clock.now().getTime() - new Date(2026, 0, 1, 12).getTime()).toBe(3000);
  });

  it('sends a small file from disk the same way', async () => {
    const clock = new ManualClock(new Date(2026, 0, 1, 12));
    const path = join(dir, 'metadata.txt');
    writeFileSync(path, Buffer.alloc(600 * 1024, 9));
    await transport.put(request(), { path, start: 0, size: 600 * 1024 }, undefined, new Throttle(parseBwlimit('100K'), clock));
    expect(received.pop()!.length).toBe(600 * 1024);
    expect(clock.now().getTime() - new Date(2026, 0, 1, 12).getTime()).toBeGreaterThanOrEqual(3500);
  });
});
