import { RecpipeError } from '../../../src/core/errors.js';
import { createApiRouter } from '../../../src/backend/http/router.js';
import { apiFixture } from './fixture.js';

describe('api router', () => {
  it('authenticates with a key and serves authenticated routes with the token', async () => {
    // Prepare
    const f = await apiFixture();
    // Act
    const auth = await f.call('POST', '/v1/auth', { apiKey: f.keyA.apiKey });
    const state = await f.call('GET', '/v1/sessions/20210228_161221', undefined, auth.json.token);
    // Assess
    expect(auth.status).toBe(200);
    expect(auth.json).toEqual({ token: expect.stringMatching(/^rpt1\./), rig: 'rig-a', expiresAt: '2026-03-01T10:15:00.000Z' });
    expect(state.status).toBe(200);
    expect(state.json).toEqual({ session: '20210228_161221', rig: 'rig-a', committed: false, objects: [] });
  });

  it('maps errors to statuses with an ApiErrorBody', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    const cases: [string, string, unknown, string | undefined, number, string][] = [
      ['POST', '/v1/auth', { apiKey: 'rpk_nope' }, undefined, 401, 'auth'],
      ['GET', '/v1/sessions/20210228_161221', undefined, undefined, 401, 'auth'],
      ['GET', '/v1/sessions/20210228_161221', undefined, 'rpt1.x.y', 401, 'auth'],
      ['POST', '/v1/presign', '{not json', token, 400, 'usage'],
      ['POST', '/v1/presign', 'x'.repeat(1024 * 1024 + 1), token, 400, 'usage'],
      ['GET', '/v1/nothing', undefined, token, 404, 'not_found'],
      ['DELETE', '/v1/presign', undefined, token, 404, 'not_found'],
      ['GET', '/v1/sessions/20210229_161221', undefined, token, 400, 'invalid_name'],
    ];
    for (const [method, path, body, tok, status, code] of cases) {
      const res = await f.call(method, path, body, tok);
      expect({ path, status: res.status, code: res.json.error.code }).toEqual({ path, status, code });
      expect(res.json.error.message).toEqual(expect.any(String));
    }
  });

  it('answers unknown failures with a generic 500 and logs the stack under the request id', async () => {
    // Prepare: a store that crashes with a message that must not leak
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    f.raw.list = async () => {
      throw new Error('secret internal detail at /srv/x');
    };
    // Act
    const res = await f.call('GET', '/v1/sessions/20210228_161221', undefined, token);
    // Assess
    expect(res.status).toBe(500);
    expect(res.body).not.toMatch(/secret internal detail|at .*\.ts|\n\s+at /);
    expect(res.json.error).toEqual({
      code: 'internal',
      message: expect.stringContaining(res.json.error.requestId),
      retryable: true,
      requestId: res.headers['x-request-id'],
    });
    const logged = f.logger.entries.find((e) => e.event === 'api.crashed');
    expect(logged?.fields.requestId).toBe(res.headers['x-request-id']);
    expect(String((logged?.fields.error as Error).stack)).toContain('secret internal detail');
  });

  it('hides the message of system-fault RecpipeErrors that map to 500', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    f.raw.list = async () => {
      throw new RecpipeError('internal', 'bucket arn:aws:s3:::secret misconfigured');
    };
    const res = await f.call('GET', '/v1/sessions/20210228_161221', undefined, token);
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('arn:aws');
  });

  it('never logs keys, tokens or bodies', async () => {
    const f = await apiFixture();
    const token = await f.login(f.keyA.apiKey);
    await f.call('GET', '/v1/sessions/20210228_161221', undefined, token);
    const text = JSON.stringify(f.logger.entries);
    expect(text).not.toContain(f.keyA.apiKey);
    expect(text).not.toContain(token);
    expect(f.logger.entries.filter((e) => e.event === 'api.request')).toHaveLength(2);
  });

  it('builds a router from plain deps without touching them at construction', () => {
    expect(typeof createApiRouter({} as never)).toBe('function');
  });
});
