/**
 * The embedded stack's backend API on loopback: the same router and handlers as the Lambdas,
 * with keys, the token secret and URL signing kept under $RECPIPE_HOME/local (api-deps.ts).
 * Enrols a first rig key so a newcomer needs no set-up. Rigs' events go to
 * $RECPIPE_HOME/logs/recpipe-client-events.log.
 */
import { createApiRouter } from '../backend/http/router.js';
import { ensureLocalRigKey } from '../local/local-rig-key.js';
import { startApiServer } from '../local/api-server.js';
import type { StackApiOptions } from '../local/stack.js';
import { createClientEventsLogger } from '../adapters/log/log-files.js';
import { localApiDeps } from './api-deps.js';

export async function buildLocalApi(o: StackApiOptions): Promise<{ url: string; close(): Promise<void> }> {
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
