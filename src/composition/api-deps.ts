/**
 * The API's dependencies on the local stack: keys in $RECPIPE_HOME/local/keys.json, the token
 * secret in $RECPIPE_HOME/local/token-secret, quota counters in $RECPIPE_HOME/local/quota.json,
 * URLs signed for the local S3 gateway.
 * `recpipe local up` calls this, then createApiRouter + startApiServer.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import { S3Presigner } from '../adapters/s3/presigner.js';
import { systemClock } from '../adapters/memory/clock.js';
import { localDir } from '../local/stack-info.js';
import { FileSecretProvider, tokenSecretPath } from '../backend/auth/file-secret-provider.js';
import { DEFAULT_TOKEN_TTL_SEC } from '../backend/auth/tokens.js';
import { DEFAULT_URL_TTL_SEC, type ApiDeps } from '../backend/deps.js';
import { FileKeyStore, keysFilePath } from '../backend/keys/file-key-store.js';
import { FileQuotaStore, quotaFilePath } from '../backend/quota/file-quota-store.js';
import { DEFAULT_QUOTA, type QuotaLimits } from '../backend/quota/quota-store.js';

export interface LocalApiOptions {
  home: string;
  /** A client from createS3Client pointed at the local gateway, with the stack's credentials. */
  s3: S3Client;
  rawBucket: string;
  /** The raw bucket as an ObjectStore (same gateway). */
  raw: ObjectStore;
  logger: Logger;
  /** Where client events go; defaults to `logger` (the stack's rotating log file). */
  cloudLog?: Logger;
  clock?: Clock;
  tokenTtlSec?: number;
  urlTtlSec?: number;
  /** Per-rig quota overrides (defaults: DEFAULT_QUOTA, as on AWS). */
  quota?: Partial<QuotaLimits>;
}

export function localApiDeps(o: LocalApiOptions): ApiDeps {
  const clock = o.clock ?? systemClock;
  return {
    keys: new FileKeyStore(keysFilePath(localDir(o.home))),
    secrets: new FileSecretProvider(tokenSecretPath(localDir(o.home))),
    presigner: new S3Presigner(o.s3, o.rawBucket, clock),
    raw: o.raw,
    logger: o.logger,
    cloudLog: o.cloudLog ?? o.logger.child({ component: 'client-events' }),
    clock,
    tokenTtlSec: o.tokenTtlSec ?? DEFAULT_TOKEN_TTL_SEC,
    urlTtlSec: o.urlTtlSec ?? DEFAULT_URL_TTL_SEC,
    quota: { store: new FileQuotaStore(quotaFilePath(localDir(o.home))), limits: { ...DEFAULT_QUOTA, ...o.quota } },
  };
}
