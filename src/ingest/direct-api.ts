/**
 * The second transport of `recpipe upload`: for a machine with AWS credentials, the ingestion
 * API runs in this process instead of behind HTTP. The same router and handlers (file and
 * session names re-validated, keys scoped to the rig, commit checks, no overwrite) are built
 * over the caller's own S3 access, with one fresh key for the rig that exists only in memory,
 * so the upload engine cannot tell the difference: only the IngestApi differs.
 */
import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { RoutedIngestApi, type ApiExchange } from '../adapters/http/ingest-client.js';
import { systemClock } from '../adapters/memory/clock.js';
import { MemoryKeyStore } from '../adapters/memory/key-store.js';
import { StaticSecretProvider } from '../adapters/memory/secret-provider.js';
import { S3ObjectStore } from '../adapters/s3/object-store.js';
import { S3Presigner } from '../adapters/s3/presigner.js';
import { DEFAULT_TOKEN_TTL_SEC } from '../backend/auth/tokens.js';
import { DEFAULT_URL_TTL_SEC, type ApiDeps } from '../backend/deps.js';
import { createApiRouter, type ApiRouter } from '../backend/http/router.js';
import { createRigKey } from '../backend/keys/enrol.js';
import type { Presigner } from '../backend/ports.js';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';

/** IngestApi that hands each request to an API router in this process. */
export class DirectIngestApi extends RoutedIngestApi {
  constructor(private readonly router: ApiRouter) {
    super();
  }

  protected async exchange(req: ApiExchange): Promise<{ status: number; text: string }> {
    const res = await this.router({ method: req.method, path: req.path, headers: req.headers, body: req.body });
    return { status: res.status, text: res.body };
  }
}

export interface DirectApiOptions {
  rig: string;
  presigner: Presigner;
  /** The raw bucket. */
  raw: ObjectStore;
  logger: Logger;
  clock?: Clock;
}

/** The API's dependencies for one rig, in memory: a fresh key (returned) and a random token secret. */
export async function directApiDeps(o: DirectApiOptions): Promise<{ deps: ApiDeps; apiKey: string }> {
  const clock = o.clock ?? systemClock;
  const keys = new MemoryKeyStore();
  const { apiKey } = await createRigKey(keys, o.rig, clock.now(), 'recpipe upload --direct');
  const deps: ApiDeps = {
    keys,
    secrets: new StaticSecretProvider(randomBytes(32)),
    presigner: o.presigner,
    raw: o.raw,
    logger: o.logger,
    cloudLog: o.logger.child({ component: 'client-events' }),
    clock,
    tokenTtlSec: DEFAULT_TOKEN_TTL_SEC,
    urlTtlSec: DEFAULT_URL_TTL_SEC,
  };
  return { deps, apiKey };
}

/** The direct IngestApi over an S3 client (the caller's credentials) and the raw bucket. */
export async function openDirectApi(o: { rig: string; s3: S3Client; rawBucket: string; logger: Logger }): Promise<{ api: DirectIngestApi; apiKey: string }> {
  const { deps, apiKey } = await directApiDeps({
    rig: o.rig,
    presigner: new S3Presigner(o.s3, o.rawBucket, systemClock),
    raw: new S3ObjectStore(o.s3, o.rawBucket),
    logger: o.logger.child({ component: 'direct-api' }),
  });
  return { api: new DirectIngestApi(createApiRouter(deps)), apiKey };
}
