/**
 * What the local and aws profiles build alike from their parts: the S3 storage, the HTTP ingest
 * API, query engines and the pull source. A profile chooses only where things are, where its rig
 * keys live and which engine it queries by default (local-services.ts, aws-services.ts).
 */
import type { Config } from '../config/schema.js';
import type { EngineName } from '../features/query/open-engine.js';
import { requireApi, type Endpoints } from './endpoints.js';
import type { KeyStoreHandle, Services } from './services.js';
import type { Storage } from './storage.js';

export interface ProfileParts {
  profile: 'local' | 'aws';
  /** Where the API and the buckets are (called once, on first use). */
  endpoints(): Endpoints;
  /** The engine `query` uses without --engine. */
  defaultEngine: EngineName;
  keyStore(): Promise<KeyStoreHandle>;
}

export function profileServices(config: Config, parts: ProfileParts): Services {
  const closers: (() => void)[] = [];
  let endpoints: Endpoints | undefined;
  let storage: Promise<Storage> | undefined;
  const where = () => (endpoints ??= parts.endpoints());
  const stores = () =>
    (storage ??= (async () => {
      const target = where();
      const { openStorage } = await import('./storage.js');
      const s = openStorage(target);
      closers.push(() => s.close());
      return s;
    })());
  return {
    profile: parts.profile,
    config,
    endpoints: where,
    storage: stores,
    ingestApi: async () => {
      const { apiUrl, apiKey } = requireApi(where());
      const { HttpIngestApi } = await import('../adapters/http/ingest-client.js');
      const { fileTokenCache } = await import('../adapters/fs/token-cache.js');
      const api = new HttpIngestApi(apiUrl);
      closers.push(() => api.close());
      return { api, apiKey, tokenCache: fileTokenCache(config.home, apiUrl, apiKey), close: () => api.close() };
    },
    openEngine: async (which) => {
      const { openQueryEngine } = await import('./query-engine.js');
      return openQueryEngine(config, which ?? parts.defaultEngine, async () => (await stores()).lake);
    },
    keyStore: () => parts.keyStore(),
    pullSource: async () => {
      const { s3, lakeBucket } = where();
      const { LakeSource } = await import('../features/pull/lake-source.js');
      return new LakeSource(s3, lakeBucket, async () => (await stores()).lake);
    },
    close: () => {
      for (const c of closers.splice(0).reverse()) c();
    },
  };
}
