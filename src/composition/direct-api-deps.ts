/**
 * The direct profile (`recpipe upload --direct --rig NAME`): the ingestion API runs in this
 * process over the caller's own S3 access, with one fresh key for the rig that exists only in
 * memory and a random token secret, so the upload engine cannot tell the difference from the
 * HTTP API. No quota: the boundary is the caller's IAM permissions.
 */
import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { systemClock } from '../adapters/system/clock.js';
import { MemoryKeyStore } from '../adapters/memory/key-store.js';
import { StaticSecretProvider } from '../adapters/memory/secret-provider.js';
import { S3ObjectStore } from '../adapters/s3/object-store.js';
import { S3Presigner } from '../adapters/s3/presigner.js';
import type { ApiDeps } from '../backend/deps.js';
import { createApiRouter } from '../backend/http/router.js';
import { createRigKey } from '../backend/keys/enrol.js';
import type { Presigner } from '../backend/ports.js';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import { DirectIngestApi } from '../features/ingest/direct-api.js';
import { assembleApiDeps } from './api-deps.js';

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
  const deps = assembleApiDeps({ keys, secrets: new StaticSecretProvider(randomBytes(32)), presigner: o.presigner, raw: o.raw, logger: o.logger, clock });
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
