import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { join } from 'node:path';
import { rawGet, RawGetUnsupported, parseResponseHead, bodyLength, KeptConnection, type BodySink } from '../../../src/adapters/http/raw-get.js';
import { RecpipeError } from '../../../src/core/errors.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tlsDir = join(process.cwd(), 'test', 'fixtures', 'tls');

function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i + 4 <= n; i += 4) b.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, i);
  return b;
}

async function listen<T extends HttpServer | NetServer>(s: T): Promise<{ server: T; url: string; close: () => Promise<void> }> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  const sockets = new Set<Socket>();
  s.on('connection', (c: Socket) => (sockets.add(c), c.on('close', () => sockets.delete(c))));
  s.on('secureConnection', (c: Socket) => (sockets.add(c), c.on('close', () => sockets.delete(c))));
  return { server: s, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => (sockets.forEach((c) => c.destroy()), s.close(() => r()))) };
}

/** A server that answers every connection with exactly these bytes (written in `pieces`), then maybe closes. */
function rawServer(answer: Buffer, o: { pieces?: number; close?: boolean } = {}) {
  return createNetServer((c) => {
    const send = async () => {
      const n = o.pieces ?? 1;
      const step = Math.ceil(answer.length / n);
      for (let i = 0; i < answer.length; i += step) {
        c.write(answer.subarray(i, i + step));
        await new Promise((r) => setTimeout(r, 2));
      }
      if (o.close !== false) c.end();
    };
    c.once('data', () => void send());
  });
}

/** Collects the body; pauses now and then and resumes later, as a busy disk would make it. */
function collector(o: { inPlace?: boolean; pauseEvery?: number } = {}) {
  const parts: Buffer[] = [];
  let calls = 0;
  let inPlace = 0;
  const space = Buffer.alloc(256 * 1024);
  let get: { resume(): void } | undefined;
  // Bytes handed over while the sink had asked for a pause (a real sink has nowhere to put them).
  let paused = false;
  let whilePaused = 0;
  const maybePause = () => {
    calls++;
    if (o.pauseEvery && calls % o.pauseEvery === 0) {
      paused = true;
      setTimeout(() => ((paused = false), get?.resume()), 3);
      return false;
    }
    return true;
  };
  const take = (c: Buffer) => {
    if (paused) whilePaused += c.length;
    parts.push(Buffer.from(c));
  };
  const sink: BodySink = {
    push: (c) => (take(c), maybePause()),
    ...(o.inPlace
      ? {
          space: () => space,
          commit: (c: Buffer) => {
            expect(c.buffer).toBe(space.buffer);
            inPlace++;
            take(c);
            return maybePause();
          },
        }
      : {}),
  };
  return {
    sink,
    body: () => Buffer.concat(parts),
    attach: (g: { resume(): void }) => (get = g),
    get inPlace() {
      return inPlace;
    },
    get whilePaused() {
      return whilePaused;
    },
  };
}

describe('rawGet', () => {
  const big = pattern(3 * 1024 * 1024 + 123);
  let http: Awaited<ReturnType<typeof listen<HttpServer>>>;
  let lastRequest: { url?: string; headers: Record<string, unknown> } = { headers: {} };
  beforeAll(async () => {
    http = await listen(
      createHttpServer((req, res) => {
        lastRequest = { url: req.url, headers: req.headers };
        if (req.url?.startsWith('/big')) return res.writeHead(200, { 'content-length': big.length }).end(big);
        if (req.url === '/empty') return res.writeHead(200, { 'content-length': 0 }).end();
        if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
        if (req.url === '/chunked') {
          res.writeHead(200);
          res.write('abc');
          return res.end('def');
        }
        if (req.url === '/gzip') return res.writeHead(200, { 'content-length': 3, 'content-encoding': 'gzip' }).end('abc');
        if (req.url === '/stall') return res.writeHead(200, { 'content-length': 10 }).write('abc');
        res.writeHead(500).end();
      }),
    );
  });
  afterAll(() => http.close());

  it.each([
    ['copied slices, no pauses', {}],
    ['copied slices, paused often', { pauseEvery: 3 }],
    ['read in place, paused often', { inPlace: true, pauseEvery: 2 }],
  ])('hands over the whole body bit-identically (%s)', async (_name, o) => {
    const c = collector(o);
    const get = rawGet(new URL(`${http.url}/big?X-Amz-Signature=ab%2Fcd`), c.sink);
    c.attach(get);
    expect(await get.done).toBe(big.length);
    expect(sha(c.body())).toBe(sha(big));
    expect(c.whilePaused).toBe(0);
    if ((o as { inPlace?: boolean }).inPlace) expect(c.inPlace).toBeGreaterThan(0);
    // The path and query go out exactly as given (a presigned signature covers them).
    expect(lastRequest.url).toBe('/big?X-Amz-Signature=ab%2Fcd');
    expect(lastRequest.headers).toMatchObject({ host: http.url.slice('http://'.length), connection: 'close', 'accept-encoding': 'identity' });
  });

  it('reads a head that arrives a few bytes at a time, then a body', async () => {
    const answer = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nX-Junk: ' + 'j'.repeat(300) + '\r\n\r\n'), pattern(5000)]);
    const s = await listen(rawServer(answer, { pieces: 40 }));
    try {
      const c = collector();
      const get = rawGet(new URL(`${s.url}/x`), c.sink);
      await get.done;
      expect(c.body().equals(pattern(5000))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('takes an empty body', async () => {
    const c = collector();
    expect(await rawGet(new URL(`${http.url}/empty`), c.sink).done).toBe(0);
    expect(c.body().length).toBe(0);
  });

  it('classifies an error answer by its status and S3 code (the one classifier), taking no byte', async () => {
    const c = collector();
    await expect(rawGet(new URL(`${http.url}/missing`), c.sink).done).rejects.toMatchObject({
      code: 'not_found',
      retryable: false,
      details: { s3: 'NoSuchKey', outcome: 'not-found' },
    });
    expect(c.body().length).toBe(0);
  });

  it.each([
    ['/chunked', 'transfer-encoding chunked'],
    ['/gzip', 'content-encoding gzip'],
  ])('refuses %s before handing over any byte (the caller falls back to the SDK)', async (path, reason) => {
    const c = collector();
    const e = await rawGet(new URL(`${http.url}${path}`), c.sink).done.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RawGetUnsupported);
    expect((e as Error).message).toBe(reason);
    expect(c.body().length).toBe(0);
  });

  it('fails, retryably, when the connection is cut in the body, and when more than announced arrives', async () => {
    const cut = await listen(rawServer(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n'), pattern(4000)])));
    const extra = await listen(rawServer(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'), pattern(150)])));
    try {
      const e1 = await rawGet(new URL(`${cut.url}/k`), collector().sink, { what: 'processed/x.npy' }).done.catch((x: unknown) => x);
      expect(e1).toBeInstanceOf(RecpipeError);
      expect(e1).toMatchObject({ code: 'unavailable', retryable: true });
      expect((e1 as Error).message).toMatch(/processed\/x\.npy was cut after 4000 of 10000 bytes/);
      const e2 = await rawGet(new URL(`${extra.url}/k`), collector().sink).done.catch((x: unknown) => x);
      expect((e2 as Error).message).toMatch(/more than the announced length/);
    } finally {
      await cut.close();
      await extra.close();
    }
  });

  it('fails a stalled download after the idle timeout, and stops at once on abort', async () => {
    const stalled = await rawGet(new URL(`${http.url}/stall`), collector().sink, { idleTimeoutMs: 150 }).done.catch((x: unknown) => x);
    expect((stalled as Error).message).toMatch(/stalled/);
    const ac = new AbortController();
    const get = rawGet(new URL(`${http.url}/stall`), collector().sink, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(get.done).rejects.toMatchObject({ code: 'interrupted' });
  });

  it('fails cleanly when nothing listens', async () => {
    const s = await listen(createNetServer());
    const url = s.url;
    await s.close();
    await expect(rawGet(new URL(`${url}/k`), collector().sink).done).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/failed to connect/),
    });
  });

  it('reads over https, in place, from a server with a certificate it was told to trust', async () => {
    const tls = await listen(
      createTlsServer({ key: readFileSync(join(tlsDir, 'key.pem')), cert: readFileSync(join(tlsDir, 'cert.pem')) }, (c) => {
        c.once('data', () => {
          c.write(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`);
          c.end(big);
        });
      }) as unknown as NetServer,
    );
    try {
      const url = new URL(tls.url.replace('http:', 'https:').replace('127.0.0.1', 'localhost') + '/k');
      const c = collector({ inPlace: true, pauseEvery: 5 });
      const get = rawGet(url, c.sink, { ca: readFileSync(join(tlsDir, 'cert.pem')) });
      c.attach(get);
      await get.done;
      expect(sha(c.body())).toBe(sha(big));
      expect(c.inPlace).toBeGreaterThan(0);
      // TLS hands over every record it decrypted even after a pause: none of it may reach the sink then.
      expect(c.whilePaused).toBe(0);
      // Without the CA the certificate is refused: nothing is read from an unverified server.
      await expect(rawGet(url, collector().sink).done).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await tls.close();
    }
  });
});

describe('response head parsing', () => {
  it('reads status and headers, joins repeats, refuses what it cannot take', () => {
    const h = parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-A: 1\r\nx-a: 2');
    expect(h).toMatchObject({ status: 200 });
    expect(h?.headers.get('x-a')).toBe('1, 2');
    expect(bodyLength(h!)).toBe(12);
    expect(parseResponseHead('HTTP/2 200\r\n')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nno colon here')).toBeUndefined();
    expect(bodyLength(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2')!)).toBeInstanceOf(RawGetUnsupported);
    expect(bodyLength(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: -1')!)).toBeInstanceOf(RawGetUnsupported);
    expect(bodyLength(parseResponseHead('HTTP/1.1 206 Partial Content\r\nContent-Length: 1')!)).toBeInstanceOf(RawGetUnsupported);
    expect(bodyLength(parseResponseHead('HTTP/1.1 200 OK')!)).toBeInstanceOf(RawGetUnsupported);
  });
});

describe('rawGet of byte ranges, refusals and deadline', () => {
  const obj = pattern(100_000);
  let s: Awaited<ReturnType<typeof listen<HttpServer>>>;
  let drips: NodeJS.Timeout[] = [];
  beforeAll(async () => {
    s = await listen(
      createHttpServer((req, res) => {
        const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
        if (req.url === '/range' && m) {
          const [a, b] = [Number(m[1]), Number(m[2])];
          return res.writeHead(206, { 'content-length': b - a + 1, 'content-range': `bytes ${a}-${b}/${obj.length}` }).end(obj.subarray(a, b + 1));
        }
        if (req.url === '/other-range')
          return res.writeHead(206, { 'content-length': 10, 'content-range': `bytes 0-9/${obj.length}` }).end(obj.subarray(0, 10));
        if (req.url === '/slowdown') return res.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code></Error>');
        if (req.url === '/drip') {
          // One byte now and then: never idle long enough for the idle timeout.
          res.writeHead(200, { 'content-length': 1000 });
          const t = setInterval(() => res.write('x'), 20);
          drips.push(t);
          res.on('close', () => clearInterval(t));
        }
      }),
    );
  });
  afterAll(async () => {
    drips.forEach(clearInterval);
    drips = [];
    await s.close();
  });

  it('fetches exactly the range asked for, and refuses an answer with another range', async () => {
    const c = collector({ inPlace: true });
    expect(await rawGet(new URL(`${s.url}/range`), c.sink, { range: { start: 1000, end: 70_999 } }).done).toBe(70_000);
    expect(c.body().equals(obj.subarray(1000, 71_000))).toBe(true);
    const other = await rawGet(new URL(`${s.url}/other-range`), collector().sink, { range: { start: 10, end: 19 } }).done.catch((x: unknown) => x);
    expect(other).toBeInstanceOf(RawGetUnsupported);
    expect((other as Error).message).toBe(`content-range bytes 0-9/${obj.length}`);
  });

  it('fails retryably on 503 SlowDown, for the caller to back off, taking no byte', async () => {
    const c = collector();
    await expect(rawGet(new URL(`${s.url}/slowdown`), c.sink).done).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
      details: { s3: 'SlowDown', outcome: 'throttled' },
    });
    expect(c.body().length).toBe(0);
  });

  it('gives up on a server that sends a byte now and then once the overall deadline passes', async () => {
    const e = await rawGet(new URL(`${s.url}/drip`), collector().sink, { deadlineMs: 150, what: 'processed/slow.npy' }).done.catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'unavailable', retryable: true });
    expect((e as Error).message).toMatch(/^download of processed\/slow\.npy took longer than the 150 ms allowed after \d+ of 1000 bytes$/);
  });
});

describe('rawGet keeping its connection (keep-alive)', () => {
  const body = pattern(600 * 1024 + 7);
  let http: Awaited<ReturnType<typeof listen<HttpServer>>>;
  let connections = 0;
  let sockets: Socket[] = [];
  beforeAll(async () => {
    const server = createHttpServer({ keepAlive: true }, (req, res) => {
      if (req.url === '/close') return res.writeHead(200, { 'content-length': body.length, connection: 'close' }).end(body);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    server.on('connection', (c: Socket) => (connections++, sockets.push(c)));
    http = await listen(server);
  });
  afterAll(() => http.close());
  beforeEach(() => {
    connections = 0;
    sockets = [];
  });

  const getOnce = async (path: string, keep: KeptConnection, o: { pauseEvery?: number; inPlace?: boolean } = {}) => {
    const c = collector(o);
    const get = rawGet(new URL(`${http.url}${path}`), c.sink, { keep });
    c.attach(get);
    expect(await get.done).toBe(body.length);
    expect(sha(c.body())).toBe(sha(body));
  };

  it('reuses one connection for the GETs of one slot, and the bytes stay whole', async () => {
    const keep = new KeptConnection();
    try {
      await getOnce('/a', keep);
      await getOnce('/b', keep, { pauseEvery: 3 });
      await getOnce('/c', keep, { inPlace: true, pauseEvery: 2 });
      expect([connections, keep.reused]).toEqual([1, 2]);
    } finally {
      keep.close();
    }
  });

  it('opens a new connection when the server said "Connection: close", or closed the kept one while idle', async () => {
    const keep = new KeptConnection();
    try {
      await getOnce('/close', keep);
      await getOnce('/a', keep);
      expect([connections, keep.reused]).toEqual([2, 0]);
      // The server drops the idle connection: the next GET notices nothing but a new connection.
      sockets[1].destroy();
      await new Promise((r) => setTimeout(r, 20));
      await getOnce('/b', keep);
      expect([connections, keep.reused]).toEqual([3, 0]);
    } finally {
      keep.close();
    }
  });

  it('does not keep a connection whose GET was stopped part-way', async () => {
    const keep = new KeptConnection();
    try {
      const stop = new Error('enough');
      const holder: { get?: ReturnType<typeof rawGet> } = {};
      const sink: BodySink = { push: () => (holder.get!.cancel(stop), false) };
      const get = (holder.get = rawGet(new URL(`${http.url}/a`), sink, { keep }));
      await expect(get.done).rejects.toBe(stop);
      await getOnce('/b', keep);
      expect([connections, keep.reused]).toEqual([2, 0]);
    } finally {
      keep.close();
    }
  });
});
