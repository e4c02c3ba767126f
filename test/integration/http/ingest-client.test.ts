import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { HttpIngestApi } from '../../../src/adapters/http/ingest-client.js';

/** A stand-in API that records what it got and answers what the test says. */
async function fakeApi(answer: (req: IncomingMessage, body: string) => { status: number; body: unknown } | 'hang') {
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string; socket: Socket }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body, socket: req.socket });
      const a = answer(req, body);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

describe('HttpIngestApi', () => {
  it('sends JSON with the bearer token on one kept-alive connection, and reads the answers', async () => {
    const api = await fakeApi((req, body) =>
      req.url === '/v1/auth'
        ? { status: 200, body: { token: 't0k', rig: 'rig-a', expiresAt: 'x' } }
        : { status: 200, body: { url: 'http://s3/x', headers: {}, echo: JSON.parse(body || '{}') } },
    );
    const client = new HttpIngestApi(api.url + '/');
    try {
      await expect(client.authenticate('rpk_secret')).resolves.toMatchObject({ token: 't0k', rig: 'rig-a' });
      const part = {
        session: '20210301_120000',
        file: 'd.bin',
        uploadId: 'u',
        ticket: 'rpu1.t.x',
        partNumber: 2,
        size: 5,
        checksum: { algorithm: 'CRC32C' as const, value: 'AAAAAA==' },
      };
      await expect(client.presignPart('t0k', part)).resolves.toMatchObject({ url: 'http://s3/x', echo: part });
      expect(api.seen.map((s) => [s.method, s.url])).toEqual([
        ['POST', '/v1/auth'],
        ['POST', '/v1/multipart/part'],
      ]);
      expect(JSON.parse(api.seen[0].body)).toEqual({ apiKey: 'rpk_secret' });
      expect(api.seen[1].headers).toMatchObject({
        authorization: 'Bearer t0k',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(api.seen[1].body)),
      });
      expect(api.seen[0].socket).toBe(api.seen[1].socket);
    } finally {
      client.close();
      await api.close();
    }
  });

  it("turns the API's error body into a RecpipeError with its code, and 5xx into a retryable one", async () => {
    let n = 0;
    const api = await fakeApi(() =>
      n++ === 0
        ? { status: 403, body: { error: { code: 'forbidden', message: 'rig-a may not write rig-b', hint: 'use your own key' } } }
        : { status: 503, body: 'busy' },
    );
    const client = new HttpIngestApi(api.url);
    try {
      await expect(client.sessionState('t', '20210301_120000')).rejects.toMatchObject({
        code: 'forbidden',
        retryable: false,
        message: 'rig-a may not write rig-b',
        hint: 'use your own key',
      });
      await expect(client.sessionState('t', '20210301_120000')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    } finally {
      client.close();
      await api.close();
    }
  });

  it('reports an unreachable or silent API as unavailable and retryable, naming it', async () => {
    const silent = await fakeApi(() => 'hang');
    const client = new HttpIngestApi(silent.url, 150);
    try {
      await expect(client.authenticate('k')).rejects.toMatchObject({
        code: 'unavailable',
        retryable: true,
        message: expect.stringMatching(/cannot reach the recpipe API at http:\/\/127\.0\.0\.1:\d+: no answer within 150 ms/),
      });
    } finally {
      client.close();
      await silent.close();
    }
    const gone = new HttpIngestApi(silent.url);
    await expect(gone.authenticate('k')).rejects.toMatchObject({ code: 'unavailable', retryable: true, message: expect.stringMatching(/ECONNREFUSED/) });
    gone.close();
  });
});
