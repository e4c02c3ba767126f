/**
 * Attacks on authentication: junk, forged, expired and revoked credentials, and one rig's token
 * used on another rig's data. Junk is refused before the token secret or the key store is read.
 */
import { signToken } from '../../src/backend/auth/tokens.js';
import { createApiRouter } from '../../src/backend/http/router.js';
import { apiFixture, manifestFor } from '../unit/backend/fixture.js';
import { spy } from './io-spy.js';

const SESSION = '20210228_161221';
const sum = { algorithm: 'SHA256', value: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' };

async function spied() {
  const f = await apiFixture();
  const io: string[] = [];
  const router = createApiRouter({
    ...f.deps,
    keys: spy(f.deps.keys, 'keys', io),
    secrets: spy(f.deps.secrets, 'secrets', io),
    raw: spy(f.deps.raw, 'raw', io),
    presigner: spy(f.deps.presigner, 'presigner', io),
    quota: { store: spy(f.deps.quota!.store, 'quota', io), limits: f.deps.quota!.limits },
  });
  const call = async (path: string, body: unknown, authorization?: string) =>
    router({ method: 'POST', path, headers: authorization === undefined ? {} : { authorization }, body: JSON.stringify(body) });
  return { f, io, call };
}

describe('attack: malformed credentials', () => {
  const junkTokens = [
    'Bearer x',
    'Bearer rpt1.abc.def',
    `Bearer rpt1.${'A'.repeat(5000)}.${'B'.repeat(43)}`,
    'Bearer rpt2.e30.' + 'A'.repeat(43),
    'Basic dXNlcjpwYXNz',
    'Bearer',
    '',
  ];
  it.each(junkTokens)('a junk bearer token %# is a 401 with no I/O at all', async (authorization) => {
    const { io, call } = await spied();
    const res = await call('/v1/presign', { session: SESSION, file: 'a.bin', size: 1, checksum: sum }, authorization);
    expect(res.status).toBe(401);
    expect(io).toEqual([]);
  });

  it.each(['', 'rpk_', 'rpk_short_x', `rpk_${'a'.repeat(12)}_${'!'.repeat(43)}`, 'x'.repeat(400)])(
    'a malformed api key %# is a 401 with no I/O',
    async (apiKey) => {
      const { io, call } = await spied();
      const res = await call('/v1/auth', { apiKey });
      expect(res.status === 401 || res.status === 400).toBe(true);
      expect(io).toEqual([]);
    },
  );
});

describe('attack: forged, expired and revoked tokens', () => {
  it('a token signed with another secret is refused and nothing is signed', async () => {
    const f = await apiFixture();
    const forged = signToken({ rig: 'rig-a', kid: f.keyA.id, iat: 1772359200, exp: 1772359200 + 900 }, Buffer.alloc(32, 1));
    const res = await f.call('POST', '/v1/presign', { session: SESSION, file: 'a.bin', size: 1, checksum: sum }, forged);
    expect(res.status).toBe(401);
    expect(f.presigner.calls).toEqual([]);
  });

  it('an expired token is refused with token_expired', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    f.clock.advance(900_000);
    const res = await f.call('POST', '/v1/presign', { session: SESSION, file: 'a.bin', size: 1, checksum: sum }, token);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('token_expired');
    expect(f.presigner.calls).toEqual([]);
  });

  it('a live token stops working once its key is revoked', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    await f.keys.revoke(f.keyA.id, f.clock.now());
    const res = await f.call('POST', '/v1/presign', { session: SESSION, file: 'a.bin', size: 1, checksum: sum }, token);
    expect(res.status).toBe(401);
    expect(f.presigner.calls).toEqual([]);
  });
});

describe('attack: minting many tokens to get past the per-token rate limit', () => {
  it('one key gets one token per 5-minute window, however often it authenticates', async () => {
    const f = await apiFixture();
    const first = await f.login(f.keyA.apiKey);
    f.clock.advance(299_000);
    expect(await f.login(f.keyA.apiKey)).toBe(first);
    expect(await f.login(f.keyB.apiKey)).not.toBe(first);
    f.clock.advance(1_000);
    const next = await f.login(f.keyA.apiKey);
    expect(next).not.toBe(first);
    // Both live tokens work; the older one still expires 15 minutes after its window began.
    for (const token of [first, next]) expect((await f.call('GET', '/v1/sessions/20210228_161221', undefined, token)).status).toBe(200);
  });
});

describe('attack: rig A acting on rig B', () => {
  it('cannot commit, read or sign under rig B, whatever it names', async () => {
    const f = await apiFixture();
    const tokenA = await f.login(f.keyA.apiKey);
    await f.raw.put(`raw/rig-b/${SESSION}/data.bin`, Buffer.alloc(4));
    const manifest = manifestFor('rig-b', SESSION, { 'meta.txt': Buffer.from('a: 1\n'), 'data.bin': Buffer.alloc(4) });
    expect((await f.call('POST', '/v1/commit', { manifest }, tokenA)).status).toBe(403);
    const asA = { ...manifest, rig: 'rig-a' };
    expect((await f.call('POST', '/v1/commit', { manifest: asA }, tokenA)).status).toBe(400);
    const state = await f.call('GET', `/v1/sessions/${SESSION}`, undefined, tokenA);
    expect(state.json.objects).toEqual([]);
    for (const file of ['../../rig-b/20210228_161221/x.bin', 'rig-b/x.bin', '..', '_manifest.json', 'a\u0000b']) {
      const res = await f.call('POST', '/v1/presign', { session: SESSION, file, size: 1, checksum: sum }, tokenA);
      expect(res.status).toBe(400);
    }
    for (const session of ['../rig-b', 'rig-b/20210228_161221', '20210228_161221/..']) {
      const res = await f.call('POST', '/v1/presign', { session, file: 'a.bin', size: 1, checksum: sum }, tokenA);
      expect(res.status).toBe(400);
    }
    expect(f.presigner.calls).toEqual([]);
    expect((await f.raw.list('raw/')).map((o) => o.key)).toEqual([`raw/rig-b/${SESSION}/data.bin`]);
    const events = await f.call(
      'POST',
      '/v1/events',
      { events: [{ time: 't', level: 'info', event: 'session.ready', sessionId: `rig-b/${SESSION}`, data: { session: SESSION } }] },
      tokenA,
    );
    expect(events.status).toBe(403);
  });
});
