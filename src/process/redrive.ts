/**
 * Re-drives sessions by id (from dead, failed, incomplete or missing), used by
 * `recpipe process --session` and `recpipe verify --repair`.
 */
import type { Config } from '../config/schema.js';
import { resolveEndpoints } from '../composition.js';
import type { S3ObjectStore } from '../adapters/s3/object-store.js';
import { withStorage } from '../composition/storage.js';
import { parseSessionId } from '../core/layout.js';
import type { Logger } from '../core/ports.js';
import { processDeps } from './deps.js';
import { processSession, type ProcessOutcome } from './process-session.js';

export async function withStores<T>(config: Config, fn: (raw: S3ObjectStore, lake: S3ObjectStore) => Promise<T>): Promise<T> {
  return withStorage(resolveEndpoints(config), (s) => fn(s.raw, s.lake));
}

export async function redriveSessions(
  config: Config,
  ids: string[],
  logger: Logger,
  pipelineVersion?: string,
): Promise<{ sessionId: string; ok: boolean; error?: string; outcome: ProcessOutcome }[]> {
  return withStores(config, async (raw, lake) => {
    const deps = processDeps(config, raw, lake, logger, pipelineVersion);
    const out = [];
    for (const id of ids) {
      const outcome = await processSession(parseSessionId(id), deps, { force: true });
      const gaps = outcome.status === 'done_with_gaps' ? `done with gaps: not decoded: ${(outcome.undecoded ?? []).join(', ')}` : undefined;
      out.push({ sessionId: id, ok: outcome.status === 'done' || outcome.status === 'already_done', error: outcome.error ?? gaps, outcome });
    }
    return out;
  });
}
