import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { MemoryPresigner } from '../../../src/adapters/memory/presigner.js';
import { createApiRouter } from '../../../src/backend/http/router.js';
import { isRecpipeError } from '../../../src/core/errors.js';
import { DirectIngestApi } from '../../../src/features/ingest/direct-api.js';
import { directApiDeps } from '../../../src/composition/direct-api-deps.js';
import { directRig } from '../../../src/features/ingest/direct-rig.js';
import { manifestFor, sha256b64 } from '../backend/fixture.js';

const SESSION = '20210228_161221';

async function direct(rig = 'rig-01') {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const raw = new MemoryObjectStore('raw');
  const presigner = new MemoryPresigner(raw, clock);
  const logger = new MemoryLogger();
  const { deps, apiKey } = await directApiDeps({ rig, presigner, raw, logger, clock });
  const api = new DirectIngestApi(createApiRouter(deps));
  return { api, apiKey, raw, presigner, logger, deps };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isRecpipeError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a RecpipeError');
}

describe('directRig', () => {
  it('is undefined without --direct, and the validated rig with it', () => {
    expect(directRig({})).toBeUndefined();
    expect(directRig({ direct: true, rig: 'rig-01' })).toBe('rig-01');
  });

  it('asks for --rig when --direct has none, naming the fix', () => {
    expect(() => directRig({ direct: true })).toThrow(expect.objectContaining({ code: 'usage', hint: expect.stringContaining('--rig NAME') }));
  });

  it('refuses --rig without --direct (the API key decides the rig)', () => {
    expect(() => directRig({ rig: 'rig-01' })).toThrow(expect.objectContaining({ code: 'usage' }));
  });

  it('refuses a rig name the keys code would refuse', () => {
    for (const bad of ['', 'Rig', '../rig', 'rig/01', '-rig', 'a'.repeat(64)]) {
      expect(() => directRig({ direct: true, rig: bad })).toThrow(expect.objectContaining({ code: 'invalid_name' }));
    }
  });
});

describe('DirectIngestApi', () => {
  it('authenticates the in-memory key as the given rig and keeps every key under raw/<rig>/', async () => {
    const { api, apiKey, deps } = await direct();
    expect(await deps.keys.list()).toHaveLength(1);
    const auth = await api.authenticate(apiKey);
    expect(auth.rig).toBe('rig-01');
    const url = await api.presignPut(auth.token, { session: SESSION, file: 'data.bin', size: 3, checksum: { algorithm: 'SHA256', value: sha256b64('abc') } });
    expect(url.key).toBe(`raw/rig-01/${SESSION}/data.bin`);
    expect(await api.sessionState(auth.token, SESSION)).toEqual({ session: SESSION, rig: 'rig-01', committed: false, objects: [] });
  });

  it('runs the API validation: hostile names, another rig, a wrong key', async () => {
    const { api, apiKey, presigner } = await direct();
    const { token } = await api.authenticate(apiKey);
    const checksum = { algorithm: 'SHA256' as const, value: sha256b64('x') };
    expect(await codeOf(api.presignPut(token, { session: SESSION, file: '../../rig-02/x', size: 1, checksum }))).toBe('invalid_name');
    expect(await codeOf(api.startMultipart(token, { session: SESSION, file: 'a\nb', size: 1 }))).toBe('invalid_name');
    expect(await codeOf(api.sessionState(token, '../20210228_161221'))).toBe('invalid_name');
    expect(await codeOf(api.commit(token, manifestFor('rig-02', SESSION, { 'meta.txt': Buffer.from('a: 1\n') })))).toBe('forbidden');
    expect(await codeOf(api.authenticate(apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A')))).toBe('auth');
    expect(presigner.calls).toEqual([]);
  });

  it('maps answers to errors as the HTTP client does: a missing file is a non-retryable conflict', async () => {
    const { api, apiKey } = await direct();
    const { token } = await api.authenticate(apiKey);
    const err = await api.commit(token, manifestFor('rig-01', SESSION, { 'meta.txt': Buffer.from('a: 1\n') })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', retryable: false, details: expect.objectContaining({ status: 409, missing: ['meta.txt'] }) });
  });

  it('commits through the same code: the manifest is written once, under the rig', async () => {
    const { api, apiKey, raw } = await direct();
    const { token } = await api.authenticate(apiKey);
    const files = { 'meta.txt': Buffer.from('fatigue: 3\nhardware_model: X\n'), 'data.bin': Buffer.alloc(10, 1) };
    for (const [name, body] of Object.entries(files)) await raw.put(`raw/rig-01/${SESSION}/${name}`, body);
    const manifest = { ...manifestFor('rig-01', SESSION, files), client: { name: 'recpipe' as const, version: '0', host: 'h', transport: 'direct' as const } };
    expect((await api.commit(token, manifest)).status).toBe('committed');
    expect((await api.commit(token, manifest)).status).toBe('already_committed');
    expect(JSON.parse((await raw.get(`raw/rig-01/${SESSION}/_manifest.json`)).toString()).client.transport).toBe('direct');
  });
});
