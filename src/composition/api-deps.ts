/**
 * The API's dependencies, assembled in one place for every profile. `assembleApiDeps` fills what
 * the profiles share (clock, client-event log, token and URL lifetimes); each profile only
 * chooses its stores:
 * - local: keys in $RECPIPE_HOME/local/keys.json, the token secret in
 *   $RECPIPE_HOME/local/token-secret, quota counters in $RECPIPE_HOME/local/quota.json, URLs
 *   signed for the local S3 gateway (`recpipe local up` builds this, then createApiRouter).
 * - aws: see aws-api-deps.ts (loaded only by the Lambda, so the local path loads no DynamoDB SDK).
 * - direct: see direct-api-deps.ts (`upload --direct`).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock, Logger, ObjectStore } from '../core/ports.js';
import { S3Presigner } from '../adapters/s3/presigner.js';
import { systemClock } from '../adapters/system/clock.js';
import { localDir } from '../local/stack-info.js';
import { FileSecretProvider, tokenSecretPath } from '../local/stores/file-secret-provider.js';
import { DEFAULT_TOKEN_TTL_SEC } from '../backend/auth/tokens.js';
import { DEFAULT_URL_TTL_SEC, type ApiDeps } from '../backend/deps.js';
import { DEFAULT_COMMIT_CHECKS } from '../backend/commit/check-objects.js';
import { FairLimiter } from '../core/fair-limiter.js';
import { EventBudget } from '../core/token-bucket.js';
import { DEFAULT_EVENT_BUDGET } from '../backend/handlers/events.js';
import { FileKeyStore, keysFilePath } from '../local/stores/file-key-store.js';
import { FileQuotaStore, quotaFilePath } from '../local/stores/file-quota-store.js';
import { DEFAULT_QUOTA, type QuotaLimits } from '../backend/quota/quota-store.js';

/** What a profile chooses; the rest has one default for every profile. */
export type ApiParts = Pick<ApiDeps, 'keys' | 'secrets' | 'presigner' | 'raw' | 'logger' | 'quota'> &
  Partial<Pick<ApiDeps, 'cloudLog' | 'clock' | 'tokenTtlSec' | 'urlTtlSec' | 'commitChecks' | 'eventBudget'>>;

/** The one assembly of ApiDeps: client events go to the server log unless a profile routes them elsewhere. */
export function assembleApiDeps(p: ApiParts): ApiDeps {
  return {
    keys: p.keys,
    secrets: p.secrets,
    presigner: p.presigner,
    raw: p.raw,
    logger: p.logger,
    cloudLog: p.cloudLog ?? p.logger.child({ component: 'client-events' }),
    clock: p.clock ?? systemClock,
    tokenTtlSec: p.tokenTtlSec ?? DEFAULT_TOKEN_TTL_SEC,
    urlTtlSec: p.urlTtlSec ?? DEFAULT_URL_TTL_SEC,
    commitChecks: p.commitChecks ?? new FairLimiter(DEFAULT_COMMIT_CHECKS),
    eventBudget: p.eventBudget ?? new EventBudget(DEFAULT_EVENT_BUDGET),
    ...(p.quota ? { quota: p.quota } : {}),
  };
}

/** What every profile's API is given: the raw bucket, where it signs URLs, and how it logs and keeps time. */
export interface SignedStoreOptions {
  /** The S3 client (composition/storage.ts) that signs the upload URLs. */
  s3: S3Client;
  rawBucket: string;
  /** The raw bucket as an ObjectStore. */
  raw: ObjectStore;
  logger: Logger;
  /** Where client events go; defaults to `logger`. */
  cloudLog?: Logger;
  clock?: Clock;
  tokenTtlSec?: number;
  urlTtlSec?: number;
  /** The commit checks' limiter (tests pass small limits to watch them hold). */
  commitChecks?: FairLimiter;
}

/** The parts every profile builds the same way from SignedStoreOptions (the presigner on the profile's clock). */
export function signedStoreParts(o: SignedStoreOptions): Omit<ApiParts, 'keys' | 'secrets' | 'quota'> {
  const clock = o.clock ?? systemClock;
  return {
    presigner: new S3Presigner(o.s3, o.rawBucket, clock),
    raw: o.raw,
    logger: o.logger,
    cloudLog: o.cloudLog,
    clock,
    tokenTtlSec: o.tokenTtlSec,
    urlTtlSec: o.urlTtlSec,
    commitChecks: o.commitChecks,
  };
}

/** The local stack: its S3 client points at the stack's gateway; client events go to the stack's rotating log file. */
export interface LocalApiOptions extends SignedStoreOptions {
  home: string;
  /** Per-rig quota overrides (defaults: DEFAULT_QUOTA, as on AWS). */
  quota?: Partial<QuotaLimits>;
}

/** The local profile's API dependencies. */
export function localApiDeps(o: LocalApiOptions): ApiDeps {
  return assembleApiDeps({
    ...signedStoreParts(o),
    keys: new FileKeyStore(keysFilePath(localDir(o.home))),
    secrets: new FileSecretProvider(tokenSecretPath(localDir(o.home))),
    quota: {
      store: new FileQuotaStore(quotaFilePath(localDir(o.home)), undefined, (e) =>
        o.logger.log('warn', 'api.quota.file_damaged', { path: quotaFilePath(localDir(o.home)), error: e.message }),
      ),
      limits: { ...DEFAULT_QUOTA, ...o.quota },
    },
  });
}
