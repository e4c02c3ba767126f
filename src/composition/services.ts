/**
 * One typed set of services per profile, for the CLI's commands (the runtime hands them out,
 * cli/context.ts): local (local-services.ts: the embedded stack's endpoints and credentials, rig
 * keys in a file, DuckDB), aws (aws-services.ts: config values and the standard credential chain,
 * rig keys in DynamoDB, Athena) and direct (direct-services.ts: `upload --direct --rig NAME`, the
 * API in this process over the caller's S3 access). Each service is built on first use, and
 * `close` releases whatever was built. The SDK-heavy parts are imported lazily, so a command that
 * needs only the HTTP API loads no S3 client, and `recpipe --help` none at all.
 */
import type { TokenCache } from '../features/ingest/token-source.js';
import type { Config } from '../config/schema.js';
import type { IngestApi, Logger } from '../core/ports.js';
import type { KeyStore } from '../backend/ports.js';
import type { OpenEngine } from '../features/query/open-engine.js';
import type { PullSource } from '../features/pull/lake-source.js';
import type { Endpoints } from './endpoints.js';
import type { Storage } from './storage.js';
import { awsServices } from './aws-services.js';
import { directServices } from './direct-services.js';
import { localServices } from './local-services.js';

export type ServiceProfile = 'local' | 'aws' | 'direct';

/** The ingestion API a rig-side command talks to, with the key it authenticates with. */
export interface IngestApiHandle {
  api: IngestApi;
  apiKey: string;
  /** Where `recpipe upload` keeps its token between runs (over HTTP only: adapters/fs/token-cache.ts). */
  tokenCache?: TokenCache;
  /** Releases the connections; the services release them too when they close. */
  close: () => void;
}

/** The profile's store of enrolled rig keys, and a human name for where it is. */
export interface KeyStoreHandle {
  store: KeyStore;
  where: string;
}

export interface Services {
  readonly profile: ServiceProfile;
  readonly config: Config;
  /**
   * Where the API and the buckets are, resolved on first use (on the local profile from the
   * running stack: an error naming `recpipe local up` when none runs).
   */
  endpoints(): Endpoints;
  /** The raw and lake buckets over the profile's one S3 client. */
  storage(): Promise<Storage>;
  /** The ingestion API: over HTTP (local, aws) or in this process (direct). */
  ingestApi(): Promise<IngestApiHandle>;
  /** Opens a query engine: the profile's own (DuckDB on local, Athena on aws) unless named. */
  readonly openEngine: OpenEngine;
  /** Where the profile keeps its rig keys (usable without a running local stack). */
  keyStore(): Promise<KeyStoreHandle>;
  /** The lake as `recpipe pull` reads it: locally signed GET URLs where it can, the S3 client otherwise. */
  pullSource(): Promise<PullSource>;
  /** Releases every service built so far (idempotent). */
  close(): void;
}

/** The services of the config's profile; with `directRig`, the direct profile for that rig. */
export function openServices(config: Config, logger: Logger, directRig?: string): Services {
  const base = config.profile === 'local' ? localServices(config) : awsServices(config);
  return directRig === undefined ? base : directServices(base, directRig, logger);
}
