/**
 * The embedded stack: a verifying S3 gateway over s3rver, the backend API (the same handlers
 * as the Lambdas), the processing consumer driven by the store's object-created events, and the
 * first enrolled rig key. Everything on loopback, all data under $RECPIPE_HOME/local. The S3
 * client and the API's stores are the composition root's (composition/local-stack.ts builds the
 * stack with them), so this module builds no client.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StoreEvents } from '../core/events/store-events.js';
import type { Logger, ObjectStore } from '../core/ports.js';
import type { Config } from '../config/schema.js';
import type { S3Settings } from '../adapters/s3/client.js';
import { startS3Service, type S3Service } from './s3/service.js';
import { ensureLocalCredentials } from './credentials.js';
import { writeFileAtomicSync } from '../adapters/fs/atomic-write.js';
import { LOCAL_RIG, localDir, stackInfoPath, type StackInfo } from './stack-info.js';
import { ensurePrivateDir } from './private-dir.js';
import type { QuotaLimits } from '../backend/quota/quota-store.js';
import type { FairLimiter } from '../core/fair-limiter.js';

export interface LocalStackOptions {
  config: Config;
  logger: Logger;
  apiPort?: number;
  s3Port?: number;
  /** Smallest non-last multipart part the gateway accepts (S3: 5 MiB; tests go lower). */
  minPartSize?: number;
  /** The store's clock, ms (tests move it past a URL's expiry); the wall clock by default. */
  storeNow?: () => number;
  tokenTtlSec?: number;
  /** Per-rig quota overrides for the API (tests set small ones). */
  quota?: Partial<QuotaLimits>;
  /** The API's commit-check limiter (tests pass small limits and read its stats). */
  commitChecks?: FairLimiter;
  /** Run the processing consumer (default true). */
  processing?: boolean;
  /** Starts the processing consumer on the store's events (injected to keep this module light). */
  startProcessing?: StartProcessing;
}

export type StartProcessing = (deps: { events: StoreEvents; raw: ObjectStore; lake: ObjectStore; config: Config; logger: Logger }) => {
  close(): Promise<void>;
  idle(): Promise<void>;
};

/** What the stack hands the API it starts (composition/local-api.ts). */
export interface StackApiOptions {
  home: string;
  client: S3Client;
  raw: ObjectStore;
  buckets: { raw: string; lake: string };
  logger: Logger;
  port?: number;
  tokenTtlSec?: number;
  quota?: Partial<QuotaLimits>;
  rig: string;
  /** The commit checks' limiter; the default limits otherwise. */
  commitChecks?: FairLimiter;
}

/** What the stack is assembled with, from the composition root (composition/local-stack.ts). */
export interface StackWiring {
  /** The stack's two buckets over one S3 client pointed at its own gateway. */
  openStorage(t: { s3: S3Settings; rawBucket: string; lakeBucket: string }): { client: S3Client; raw: ObjectStore; lake: ObjectStore; close(): void };
  /** Starts the API on loopback. */
  startApi(o: StackApiOptions): Promise<{ url: string; close(): Promise<void> }>;
}

export interface LocalStack {
  info: StackInfo;
  s3: S3Service;
  /** Resolves when the processing queue is empty (immediately when processing is off). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbeddedStack(options: LocalStackOptions, wiring: StackWiring): Promise<LocalStack> {
  const { config, logger } = options;
  // Raw recordings, keys and credentials live here: private to the user (issue 13).
  ensurePrivateDir(config.home);
  const dir = ensurePrivateDir(localDir(config.home));
  const credentials = ensureLocalCredentials(dir);
  const buckets = { raw: config.rawBucket, lake: config.lakeBucket };
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch((e) => logger.log('warn', 'local.close_failed', { error: e }));
  };
  try {
    const s3 = await startS3Service({
      dataDir: join(dir, 's3'),
      credentials,
      region: config.region,
      buckets,
      port: options.s3Port,
      minPartSize: options.minPartSize,
      now: options.storeNow,
    });
    const c = s3.cleanup;
    if (c.orphanObjects + c.partialObjects + c.spoolFiles + c.strayParts + c.expiredUploads > 0) logger.log('warn', 'local.leftovers_cleared', { ...c });
    closers.push(() => s3.close());
    const storage = wiring.openStorage({ s3: { region: config.region, endpoint: s3.url, credentials }, rawBucket: buckets.raw, lakeBucket: buckets.lake });
    closers.push(async () => storage.close());
    const { client, raw, lake } = storage;
    const api = await wiring.startApi({
      home: config.home,
      client,
      raw,
      buckets,
      logger,
      port: options.apiPort,
      tokenTtlSec: options.tokenTtlSec,
      quota: options.quota,
      rig: LOCAL_RIG,
      commitChecks: options.commitChecks,
    });
    closers.push(() => api.close());
    let idle = async () => undefined as void;
    if (options.processing !== false && options.startProcessing) {
      const processing = options.startProcessing({ events: s3.events, raw, lake, config, logger: logger.child({ component: 'processing' }) });
      closers.push(() => processing.close());
      idle = () => processing.idle();
    }
    const info: StackInfo = {
      api: api.url,
      s3: s3.url,
      region: config.region,
      buckets,
      dataDir: dir,
      credentials,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
    writeFileAtomicSync(stackInfoPath(config.home), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
    closers.push(async () => rmSync(stackInfoPath(config.home), { force: true }));
    logger.log('info', 'local.up', { api: info.api, s3: info.s3, dataDir: dir });
    return { info, s3, idle, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
