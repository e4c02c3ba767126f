import { request } from 'node:http';
import { RecpipeError } from '../../../src/core/errors.js';
import { startUiServer, type UiServer } from '../../../src/features/ui/server.js';
import { ROUTES } from '../../../src/features/ui/routes.js';
import type { SessionsResult, UiSource } from '../../../src/features/ui/source.js';
import { runCli } from '../../helpers/cli.js';

const EVIL = '<script>window.__xss=1</script>';
const sessions: SessionsResult = {
  terms: [],
  sessions: [
    {
      session_id: 'rig-a/20210201_090000',
      rig: 'rig-a',
      session: '20210201_090000',
      recorded_at: '2021-02-01 09:00:00',
      uploaded_at: '',
      file_count: 2,
      total_bytes: 10,
      manifest_sha256: '',
      variables: { notes: EVIL, fatigue: 3 },
    },
  ],
  variables: ['fatigue', 'notes'],
  numeric: ['fatigue'],
  totals: { sessions: 1, files: 2, bytes: 20 },
  states: {},
  unprocessed: [],
};
const calls: string[] = [];
const source: UiSource = {
  sessions: async (terms) => {
    calls.push(`sessions ${terms.join(' ')}`);
    if (terms.includes('bogus')) throw new RecpipeError('usage', `cannot read filter "bogus"`, { hint: 'write field<op>value' });
    return { ...sessions, terms };
  },
  session: async () => ({ ledger: [], outputs: [], findings: [], warnings: [EVIL] }),
  rigs: async () => ({ rigs: [{ rig: EVIL, waiting: [], invalid: [], failed: [], catalogued: 0 }], now: '2026-01-01T00:00:00Z', eventSource: 'test' }),
  snapshots: async () => [{ name: 'v1', created_at: 't', query: EVIL, sessions: 1, files: 1, bytes: 1 }],
  snapshot: async (name) =>
    name === 'v1'
      ? [
          {
            snapshot: 'v1',
            created_at: 't',
            query: EVIL,
            session_id: 'rig-a/20210201_090000',
            revision: 1,
            pipeline: 'default',
            pipeline_version: '1',
            key: 'k',
            file: EVIL,
            bytes: 1,
            sha256: 'a'.repeat(64),
            num_vars: {},
            text_vars: {},
          },
        ]
      : undefined,
};

function get(
  server: UiServer,
  path: string,
  o: { method?: string; cookie?: string; host?: string; outsideBase?: boolean } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        // Pages live under the server's base path (here the fixed /p4th/ of the test server).
        path: o.outsideBase ? path : `/p4th${path}`,
        method: o.method ?? 'GET',
        headers: { host: o.host ?? `127.0.0.1:${server.port}`, ...(o.cookie ? { cookie: o.cookie } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('recpipe ui server', () => {
  let server: UiServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startUiServer({ source, host: '127.0.0.1', port: 0, token: 't0ken', basePath: 'p4th' });
    cookie = `recpipe_ui_${server.port}=t0ken`;
  });
  afterAll(() => server.close());

  it('serves nothing without the token, and trades the URL token for a same-site cookie', async () => {
    expect((await get(server, '/sessions')).status).toBe(403);
    expect((await get(server, '/static/ui.js')).status).toBe(403);
    expect((await get(server, '/sessions?token=wrong')).status).toBe(403);
    const r = await get(server, '/sessions?q=a%3D1&token=t0ken');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<meta http-equiv="refresh" content="0;url=/p4th/sessions?q=a%3D1" />');
    expect(r.body).not.toContain('t0ken');
    expect(r.headers['set-cookie']?.[0]).toBe(`recpipe_ui_${server.port}=t0ken; HttpOnly; SameSite=Strict; Path=/p4th/`);
    expect((await get(server, '/sessions', { cookie })).status).toBe(200);
    // The redirect stays on this server, under the base path, whatever the path looks like.
    expect((await get(server, '//evil.example/x?token=t0ken')).body).toContain('content="0;url=/p4th/evil.example/x"');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p4th\/sessions\?token=t0ken$/);
    expect(server.base).toBe(`http://127.0.0.1:${server.port}/p4th/`);
    // Nothing exists outside the base path, with or without the token or cookie.
    for (const path of ['/sessions', '/sessions?token=t0ken', '/static/ui.js', '/'])
      expect((await get(server, path, { cookie, outsideBase: true })).status).toBe(404);
  });

  it('is read-only: every method but GET and HEAD is refused, and the route table is pages only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get(server, '/sessions', { method, cookie });
      expect([r.status, r.headers.allow]).toEqual([405, 'GET, HEAD']);
    }
    expect(Object.keys(ROUTES).sort()).toEqual(['/', '/charts', '/rigs', '/session', '/sessions', '/snapshots']);
    expect(Object.keys(source)).toEqual(['sessions', 'session', 'rigs', 'snapshots', 'snapshot']);
  });

  it('answers only requests naming this server (no DNS rebinding)', async () => {
    expect((await get(server, '/sessions', { cookie, host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await get(server, '/sessions', { cookie, host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('escapes every value on every page and allows no inline script', async () => {
    for (const path of [
      '/sessions',
      '/session?id=rig-a/20210201_090000',
      '/rigs',
      `/charts?q=${encodeURIComponent(EVIL)}`,
      '/snapshots',
      '/snapshots?name=v1',
    ]) {
      const r = await get(server, path, { cookie });
      expect(r.status).toBe(200);
      expect(r.body).not.toContain(EVIL);
      expect(r.body).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
      expect(r.headers['content-security-policy']).toContain("script-src 'self'");
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('lists snapshots and shows one with the command that pulls it; an unknown name is a 404 page', async () => {
    const list = await get(server, '/snapshots', { cookie });
    expect(list.body).toContain('href="snapshots?name=v1"');
    const one = await get(server, '/snapshots?name=v1', { cookie });
    expect(one.body).toContain('recpipe pull --snapshot v1 --dest ./v1');
    expect(one.body).toContain('href="session?id=rig-a%2F20210201_090000"');
    const none = await get(server, `/snapshots?name=${encodeURIComponent(EVIL)}`, { cookie });
    expect(none.status).toBe(404);
    expect(none.body).toContain('href="snapshots"');
    expect(none.body).not.toContain(EVIL);
  });

  it('passes the filter box to the query as its terms, and shows a bad filter as a message with its fix', async () => {
    calls.length = 0;
    const ok = await get(server, `/sessions?q=${encodeURIComponent("fatigue>=3 notes~'a b'")}`, { cookie });
    expect(calls).toEqual(["sessions fatigue>=3 notes~'a b'"]);
    expect(ok.body).toContain('recpipe pull &#39;fatigue&gt;=3&#39;');
    const bad = await get(server, '/sessions?q=bogus', { cookie });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('cannot read filter &quot;bogus&quot;');
    expect(bad.body).toContain('fix: write field&lt;op&gt;value');
  });

  it('serves Chart.js from the installed package', async () => {
    const r = await get(server, '/static/chart.umd.min.js', { cookie });
    expect(r.status).toBe(200);
    expect(r.body).toContain('Chart.js');
  });
});

describe('recpipe ui command', () => {
  it('refuses a non-loopback bind without --allow-remote', async () => {
    const r = await runCli(['ui', '--no-open', '--host', '0.0.0.0'], { RECPIPE_HOME: '/nonexistent-recpipe-home' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing to serve the catalog on 0.0.0.0');
    expect(r.err).toContain('--allow-remote');
  });

  it('says how to start the local stack when none runs', async () => {
    const r = await runCli(['ui', '--no-open'], { RECPIPE_HOME: '/nonexistent-recpipe-home' });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('no local stack is running');
  });
});
