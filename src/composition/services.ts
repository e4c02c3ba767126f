/**
 * One typed set of services per profile, for the CLI's commands: local (the embedded stack's
 * endpoints and credentials), aws (config values and the standard credential chain) and direct
 * (`upload --direct --rig NAME`: the API in this process over the caller's S3 access). Each
 * service is built on first use, once, and `close` releases whatever was built. The SDK-heavy
 * parts are imported lazily so a command that needs only the HTTP API loads no S3 client.
 */
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/ports.js';
import { resolveEndpoints, type Endpoints } from '../composition.js';
import type { IngestApiHandle } from './ingest-api.js';
import type { Storage } from './storage.js';

export type ServiceProfile = 'local' | 'aws' | 'direct';

export interface Services {
  readonly profile: ServiceProfile;
  readonly config: Config;
  readonly endpoints: Endpoints;
  /** The raw and lake buckets over the profile's one S3 client. */
  storage(): Promise<Storage>;
  /** The ingestion API: over HTTP (local, aws) or in this process (direct). */
  ingestApi(): Promise<IngestApiHandle>;
  /** Releases every service built so far. */
  close(): void;
}

/** The services of the config's profile; with `directRig`, the direct profile for that rig. */
export function openServices(config: Config, logger: Logger, directRig?: string): Services {
  const endpoints = resolveEndpoints(config);
  const closers: (() => void)[] = [];
  let storage: Promise<Storage> | undefined;
  return {
    profile: directRig === undefined ? config.profile : 'direct',
    config,
    endpoints,
    storage: () =>
      (storage ??= import('./storage.js').then(({ openStorage }) => {
        const s = openStorage(endpoints);
        closers.push(() => s.close());
        return s;
      })),
    ingestApi: async () => {
      const { openIngestApi } = await import('./ingest-api.js');
      const handle = await openIngestApi(config, logger, directRig);
      closers.push(() => handle.close());
      return handle;
    },
    close: () => {
      for (const c of closers.splice(0).reverse()) c();
    },
  };
}
