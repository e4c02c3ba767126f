import { jest } from '@jest/globals';
import { request } from 'node:http';
import { startApiServer, type ApiServer } from '../../../src/local/api-server.js';
import { apiFixture } from '../../unit/backend/fixture.js';

describe('api server on loopback', () => {
  let server: ApiServer;
  let f: Awaited<ReturnType<typeof apiFixture>>;

  beforeAll(async () => {
    f = await apiFixture();
    server = await startApiServer(f.router, { port: 0 });
  });
  afterAll(() => server.close());

  it('serves the router over HTTP on 127.0.0.1', async () => {
    // Act
    const auth = await fetch(`${server.url}/v1/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: f.keyA.apiKey }),
    });
    const { token } = (await auth.json()) as { token: string };
    const state = await fetch(`${server.url}/v1/sessions/20210228_161221?ignored=1`, { headers: { Authorization: `Bearer ${token}` } });
    // Assess
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(auth.status).toBe(200);
    expect(auth.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({ rig: 'rig-a', committed: false });
  });

  it('refuses bodies over the limit with 400 and an ApiErrorBody', async () => {
    const res = await fetch(`${server.url}/v1/events`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'usage', message: expect.stringContaining('larger than') } });
  });

  it('answers a chunked body over the limit without buffering it all', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/events`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 3; i++) req.write(Buffer.alloc(512 * 1024, 97));
      req.end();
    });
    expect(status).toBe(400);
  });

  it('closes promptly even with idle keep-alive sockets', async () => {
    // Prepare: a second server with a kept-alive connection
    const other = await startApiServer(f.router);
    await (await fetch(`${other.url}/v1/nothing`)).text();
    // Act + Assess: with timers frozen the server's 2 s fallback (closeAllConnections) can never
    // fire, so close() resolves only if it closed the idle socket itself; no real time is read.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      await expect(other.close()).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
