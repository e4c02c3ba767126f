/** Builds a router over the in-memory fakes, with one enrolled key per rig. */
import { createHash } from 'node:crypto';
import { MemoryKeyStore } from '../../../src/adapters/memory/key-store.js';
import { MemoryObjectStore } from '../../../src/adapters/memory/object-store.js';
import { MemoryPresigner } from '../../../src/adapters/memory/presigner.js';
import { ManualClock } from '../../../src/adapters/memory/clock.js';
import { MemoryLogger } from '../../../src/adapters/memory/logger.js';
import { StaticSecretProvider } from '../../../src/adapters/memory/secret-provider.js';
import { MemoryQuotaStore } from '../../../src/adapters/memory/quota-store.js';
import { DEFAULT_QUOTA, type QuotaLimits } from '../../../src/backend/quota/quota-store.js';
import { createRigKey } from '../../../src/backend/keys/enrol.js';
import type { ApiDeps } from '../../../src/backend/deps.js';
import { DEFAULT_COMMIT_CHECKS } from '../../../src/backend/commit/check-objects.js';
import { FairLimiter } from '../../../src/core/fair-limiter.js';
import { EventBudget } from '../../../src/core/token-bucket.js';
import { DEFAULT_EVENT_BUDGET } from '../../../src/backend/handlers/events.js';
import { createApiRouter, type ApiResponse } from '../../../src/backend/http/router.js';
import type { Manifest } from '../../../src/core/session/manifest-types.js';

export async function apiFixture(quota: Partial<QuotaLimits> = {}) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const raw = new MemoryObjectStore('raw');
  const keys = new MemoryKeyStore();
  const presigner = new MemoryPresigner(raw, clock);
  const logger = new MemoryLogger();
  const cloudLog = new MemoryLogger();
  const deps: ApiDeps = {
    keys,
    secrets: new StaticSecretProvider(Buffer.alloc(32, 7)),
    presigner,
    raw,
    logger,
    cloudLog,
    clock,
    tokenTtlSec: 900,
    urlTtlSec: 900,
    quota: { store: new MemoryQuotaStore(), limits: { ...DEFAULT_QUOTA, ...quota } },
    commitChecks: new FairLimiter(DEFAULT_COMMIT_CHECKS),
    eventBudget: new EventBudget(DEFAULT_EVENT_BUDGET),
  };
  const router = createApiRouter(deps);
  const keyA = await createRigKey(keys, 'rig-a', clock.now());
  const keyB = await createRigKey(keys, 'rig-b', clock.now());
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are asserted field by field
  type Reply = ApiResponse & { json: any };
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<Reply> => {
    const res = await router({
      method,
      path,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { ...res, json: JSON.parse(res.body) };
  };
  const login = async (apiKey: string) => (await call('POST', '/v1/auth', { apiKey })).json.token as string;
  return { clock, raw, keys, presigner, logger, cloudLog, deps, router, keyA, keyB, call, login };
}

export const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
export const sha256b64 = (b: Buffer | string) => createHash('sha256').update(b).digest('base64');

const roleOf = (name: string): 'data' | 'metadata' => (name.endsWith('.txt') ? 'metadata' : 'data');

export function manifestFor(
  rig: string,
  session: string,
  files: Record<string, Buffer>,
  variables = { numeric: { fatigue: 3 }, text: { hardware_model: 'X' } },
): Manifest {
  const list = Object.entries(files).map(([name, body]) => ({
    name,
    role: roleOf(name),
    size: body.length,
    sha256: sha256hex(body),
  }));
  const recordedAt = `${session.slice(0, 4)}-${session.slice(4, 6)}-${session.slice(6, 8)}T${session.slice(9, 11)}:${session.slice(11, 13)}:${session.slice(13, 15)}`;
  return {
    schema: 'recpipe.manifest/1',
    sessionId: `${rig}/${session}`,
    rig,
    session,
    recordedAt,
    metadataFile: list.find((f) => f.role === 'metadata')!.name,
    variables,
    files: list,
    fileCount: list.length,
    totalBytes: list.reduce((s, f) => s + f.size, 0),
    client: { name: 'recpipe', version: '0.1.0', host: 'h', transport: 'api' },
    createdAt: '2026-03-01T10:00:00.000Z',
  };
}
