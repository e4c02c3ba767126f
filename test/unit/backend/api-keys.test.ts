import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redactString } from '../../../src/adapters/log/redact.js';
import { generateApiKey, hashApiKey, parseApiKey } from '../../../src/backend/keys/api-key.js';
import { createRigKey } from '../../../src/backend/keys/enrol.js';
import { FileKeyStore } from '../../../src/local/stores/file-key-store.js';
import { apiFixture } from './fixture.js';
import { tempDir } from '../../helpers/tmp.js';

const now = new Date('2026-03-01T10:00:00Z');

describe('api keys', () => {
  it('have the documented format, parse back to their id, and are masked in logs', () => {
    const { apiKey, record } = generateApiKey('rig-a', now, 'bench');
    expect(apiKey).toMatch(/^rpk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(apiKey)).toEqual({ id: record.id });
    expect(record).toEqual({ id: record.id, rig: 'rig-a', hash: hashApiKey(apiKey), label: 'bench', createdAt: now.toISOString() });
    expect(redactString(`key=${apiKey}`)).not.toContain(apiKey.slice(4));
    expect(parseApiKey('rpk_short_x')).toBeUndefined();
  });

  it('are stored hashed: the key string never appears in keys.json, which is 0600', async () => {
    // Prepare
    const dir = tempDir('recpipe-keys-');
    const store = new FileKeyStore(join(dir, 'keys.json'));
    // Act
    const a = await createRigKey(store, 'rig-a', now, 'first');
    const b = await createRigKey(store, 'rig-b', now);
    // Assess
    const text = readFileSync(store.path, 'utf8');
    expect(text).not.toContain(a.apiKey);
    expect(text).not.toContain(a.apiKey.split('_').slice(2).join('_'));
    expect(text).toContain(hashApiKey(a.apiKey));
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect((await store.list()).map((r) => r.rig).sort()).toEqual([a.rig, b.rig]);
  });

  it('revoked in the file stop authenticating and stop their live tokens on the next call', async () => {
    // Prepare: a router whose key store is a file, and a second store instance (another process)
    const f = await apiFixture();
    const dir = tempDir('recpipe-keys-');
    const path = join(dir, 'keys.json');
    f.deps.keys = new FileKeyStore(path);
    const { createApiRouter } = await import('../../../src/backend/http/router.js');
    const router = createApiRouter(f.deps);
    const key = await createRigKey(new FileKeyStore(path), 'rig-a', now);
    const auth = JSON.parse((await router({ method: 'POST', path: '/v1/auth', headers: {}, body: JSON.stringify({ apiKey: key.apiKey }) })).body);
    const state = () => router({ method: 'GET', path: '/v1/sessions/20210228_161221', headers: { authorization: `Bearer ${auth.token}` }, body: '' });
    expect((await state()).status).toBe(200);
    // Act: `keys revoke` from another process
    await new FileKeyStore(path).revoke(key.id, now);
    // Assess
    const after = await state();
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).error.message).toBe('api key revoked');
    const reauth = await router({ method: 'POST', path: '/v1/auth', headers: {}, body: JSON.stringify({ apiKey: key.apiKey }) });
    expect(reauth.status).toBe(401);
  });

  it('authenticate only with the exact key', async () => {
    const f = await apiFixture();
    const wrongSecret = f.keyA.apiKey.slice(0, -3) + 'abc';
    for (const apiKey of [
      wrongSecret,
      f.keyA.apiKey + 'x',
      `rpk_${f.keyB.id}_${f.keyA.apiKey.split('_').slice(2).join('_')}`,
      'rpk_aaaaaaaaaaaa_' + 'x'.repeat(43),
    ]) {
      const res = await f.call('POST', '/v1/auth', { apiKey });
      expect(res.status).toBe(401);
      expect(res.json.error.message).toBe('invalid api key');
    }
  });

  it('revoke is idempotent and keeps the first time; unknown ids are not_found', async () => {
    const dir = tempDir('recpipe-keys-');
    const store = new FileKeyStore(join(dir, 'keys.json'));
    const a = await createRigKey(store, 'rig-a', now);
    await store.revoke(a.id, now);
    const again = await store.revoke(a.id, new Date('2027-01-01T00:00:00Z'));
    expect(again.revokedAt).toBe(now.toISOString());
    await expect(store.revoke('zzzzzzzzzzzz', now)).rejects.toMatchObject({ code: 'not_found' });
  });
});
