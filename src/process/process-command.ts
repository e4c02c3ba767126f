/** `recpipe process`: re-drive one session, or process every session lacking a pipeline version. */
import type { CommandResult, Runtime } from '../cli/context.js';
import { RecpipeError } from '../core/errors.js';
import { ledgerKey, RAW_PREFIX, sessionOfManifestKey } from '../core/layout.js';
import { pipelineSegment } from '../core/layout.js';
import { processDeps } from './deps.js';
import { processSession, type ProcessOutcome } from './process-session.js';
import { redriveSessions, withStores } from './redrive.js';

export async function processCommand(rt: Runtime, flags: { session?: string[]; pipelineVersion?: string }): Promise<CommandResult> {
  const config = rt.config();
  const version = flags.pipelineVersion ? pipelineSegment(flags.pipelineVersion, 'pipeline version') : config.pipelineVersion;
  let outcomes: ProcessOutcome[];
  if (flags.session && flags.session.length > 0) {
    rt.reporter.step(`re-driving ${flags.session.length} session(s)`);
    outcomes = (await redriveSessions(config, flags.session, rt.logger, version)).map((r) => r.outcome);
  } else if (flags.pipelineVersion) {
    outcomes = await withStores(config, async (raw, lake) => {
      const deps = processDeps(config, raw, lake, rt.logger, version);
      const missing = [];
      for (const o of await raw.list(RAW_PREFIX)) {
        const ref = sessionOfManifestKey(o.key);
        if (!ref) continue;
        const l = await lake.head(ledgerKey(ref, config.pipeline, version));
        if (!l || JSON.parse((await lake.get(l.key)).toString()).state !== 'done') missing.push(ref);
      }
      rt.reporter.step(`processing ${missing.length} session(s) lacking ${config.pipeline} v${version}`);
      const out: ProcessOutcome[] = [];
      for (const [i, ref] of missing.entries()) {
        out.push(await processSession(ref, deps));
        rt.reporter.progress((i + 1) / missing.length, ref.session);
      }
      return out;
    });
  } else {
    throw new RecpipeError('usage', 'say what to process: --session RIG/SESSION or --pipeline-version V', { hint: 'e.g. recpipe process --pipeline-version 2' });
  }
  const bad = outcomes.filter((o) => !['done', 'already_done', 'busy'].includes(o.status));
  rt.reporter.succeed(`${outcomes.length - bad.length} of ${outcomes.length} processed`);
  const human = outcomes.map((o) => `${o.sessionId}: ${o.status}${o.error ? ` (${o.error})` : ''}`).join('\n') || 'nothing to process';
  return { data: { pipeline: config.pipeline, pipelineVersion: version, outcomes }, human, exitCode: bad.length ? 1 : 0 };
}
