/**
 * Re-drives sessions by id (from dead, failed, incomplete or missing), used by
 * `recpipe process --session` and `recpipe verify --repair`, over the profile's stores.
 */
import type { Config } from '../../config/schema.js';
import { parseSessionId } from '../../core/layout.js';
import type { Logger, Stores } from '../../core/ports.js';
import { containerLimits } from '../../config/platform-limits.js';
import { processDeps } from './deps.js';
import { processSession, type ProcessOutcome } from './process-session.js';

/**
 * How `recpipe process --session` runs: a re-drive (forced: done, dead and incomplete sessions
 * run again) under the function's limits, or as the container path's job (`asJob`: queue
 * semantics, so a done session is left alone and a dead one stays dead, under the container's
 * limits with the route's timeout).
 */
export interface RedriveOptions {
  asJob?: { timeoutSec: number };
}

export async function redriveSessions(
  { raw, lake }: Stores,
  config: Config,
  ids: string[],
  logger: Logger,
  pipelineVersion?: string,
  options: RedriveOptions = {},
): Promise<{ sessionId: string; ok: boolean; error?: string; outcome: ProcessOutcome }[]> {
  const base = processDeps(config, raw, lake, logger, pipelineVersion);
  const deps = options.asJob ? { ...base, computePath: 'container' as const, limits: containerLimits(options.asJob.timeoutSec) } : base;
  const out = [];
  for (const id of ids) {
    const outcome = await processSession(parseSessionId(id), deps, { force: !options.asJob });
    const gaps = outcome.status === 'done_with_gaps' ? `done with gaps: not decoded: ${(outcome.undecoded ?? []).join(', ')}` : undefined;
    out.push({ sessionId: id, ok: outcome.status === 'done' || outcome.status === 'already_done', error: outcome.error ?? gaps, outcome });
  }
  return out;
}
