/**
 * The backend API on loopback: the same router and handlers as the Lambdas, with keys, the
 * token secret and URL signing kept under $RECPIPE_HOME/local. Enrols a first rig key so a
 * newcomer needs no set-up. Rigs' events go to $RECPIPE_HOME/logs/recpipe-client-events.log.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger, ObjectStore } from '../core/ports.js';
import { createApiRouter } from '../backend/http/router.js';
import { localApiDeps } from '../composition/api-deps.js';
import { ensureLocalRigKey } from './local-rig-key.js';
import type { QuotaLimits } from '../backend/quota/quota-store.js';
import { startApiServer } from './api-server.js';
import type { FairLimiter } from '../core/fair-limiter.js';
import { createClientEventsLogger } from '../adapters/log/log-files.js';

export interface LocalApiOptions {
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

export async function buildLocalApi(o: LocalApiOptions): Promise<{ url: string; close(): Promise<void> }> {
  await ensureLocalRigKey(o.home, o.rig);
  // Rigs' events get a file of their own, so their volume never rotates the stack's own log away.
  const cloudLog = createClientEventsLogger(o.home);
  const router = createApiRouter(
    localApiDeps({
      home: o.home,
      s3: o.client,
      rawBucket: o.buckets.raw,
      raw: o.raw,
      logger: o.logger.child({ component: 'api' }),
      cloudLog,
      tokenTtlSec: o.tokenTtlSec,
      quota: o.quota,
      commitChecks: o.commitChecks,
    }),
  );
  const server = await startApiServer(router, { port: o.port }).catch(async (e: unknown) => {
    await cloudLog.close();
    throw e;
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await cloudLog.close();
    },
  };
}
