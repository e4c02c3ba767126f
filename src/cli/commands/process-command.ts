/** `recpipe process`: re-drive one session, or process every session lacking a pipeline version. */
import { createHash } from 'node:crypto';
import type { CommandResult, Runtime } from '../context.js';
import { EXIT_CODES, RecpipeError, isRecpipeError } from '../../core/errors.js';
import { readLedgerEntry } from '../../core/catalog/records.js';
import { ledgerKey, RAW_PREFIX, sessionOfManifestKey, type SessionRef } from '../../core/layout.js';
import type { ObjectStore } from '../../core/ports.js';
import { pipelineSegment } from '../../core/layout.js';
import type { LedgerEntry } from '../../core/catalog/types.js';
import type { Config } from '../../config/schema.js';
import { readServedRevision } from '../../core/session/revision-state.js';
import { isFinished } from '../../core/process/ledger.js';
import { processDeps } from '../../features/process/deps.js';
import { processSession, type ProcessOutcome } from '../../features/process/process-session.js';
import { redriveSessions } from '../../features/process/redrive.js';
import { stdoutLogger } from '../../adapters/log/stdout-logger.js';
import type { FlagsOf } from '../flags/table.js';

/** The command's flags (declared in src/cli/flags/ingest-flags.ts). */
export type ProcessFlags = FlagsOf<'process'>;

/** A container job needs its sessions and the timeout the route chose (--timeout-sec itself is read by the flag table). */
function jobTimeout(flags: ProcessFlags): { timeoutSec: number } {
  if (!flags.session?.length || flags.timeoutSec === undefined)
    throw new RecpipeError(
      'usage',
      `--container-job needs --session and --timeout-sec (whole seconds, at least 60); got --timeout-sec ${JSON.stringify(flags.timeoutSec ?? null)}`,
      {
        hint: 'e.g. recpipe process --session rig-01/20210228_161221 --container-job --timeout-sec 4200',
      },
    );
  return { timeoutSec: flags.timeoutSec };
}

export async function processCommand(rt: Runtime, flags: ProcessFlags): Promise<CommandResult> {
  const config = rt.config();
  const version = flags.pipelineVersion ? pipelineSegment(flags.pipelineVersion, 'pipeline version') : config.pipelineVersion;
  let outcomes: ProcessOutcome[];
  const asJob = flags.containerJob ? jobTimeout(flags) : undefined;
  if (flags.session && flags.session.length > 0) {
    rt.reporter.step(asJob ? `processing ${flags.session.length} session(s) as a container job` : `re-driving ${flags.session.length} session(s)`);
    // A container job logs its events as JSON lines on stdout, as the function does: CloudWatch
    // Logs collects them and the DeadSessions metric filter reads them (src/infra/monitoring.ts).
    const logger = asJob ? stdoutLogger({ component: 'processing', computePath: 'container' }, config.logLevel, (l) => rt.io.stdout.write(l)) : rt.logger;
    outcomes = (await redriveSessions(await rt.services(config).storage(), config, flags.session, logger, version, { asJob })).map((r) => r.outcome);
  } else if (flags.pipelineVersion) {
    outcomes = await rt
      .services(config)
      .storage()
      .then(async ({ raw, lake }) => {
        const deps = processDeps(config, raw, lake, rt.logger, version);
        const missing: SessionRef[] = [];
        const damaged = new Set<SessionRef>();
        for (const o of await raw.list(RAW_PREFIX)) {
          const ref = sessionOfManifestKey(o.key);
          if (!ref) continue;
          let entry: LedgerEntry | undefined;
          try {
            entry = (await readLedgerEntry(lake, ledgerKey(ref, config.pipeline, version)))?.entry;
          } catch (e) {
            if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
            // A damaged entry counts as lacking; its run is forced so it writes the entry again (process-session.ts).
            damaged.add(ref);
            missing.push(ref);
            continue;
          }
          // Done for another revision's manifest counts as lacking: the served revision is processed.
          if (!isFinished(entry?.state) || entry?.manifest_sha256 !== (await servedManifestSha(raw, ref, config.acceptRevisions))) missing.push(ref);
        }
        rt.reporter.step(`processing ${missing.length} session(s) lacking ${config.pipeline} v${version}`);
        const out: ProcessOutcome[] = [];
        for (const [i, ref] of missing.entries()) {
          out.push(await processSession(ref, deps, { force: damaged.has(ref) }));
          rt.reporter.progress((i + 1) / missing.length, ref.session);
        }
        return out;
      });
  } else {
    throw new RecpipeError('usage', 'say what to process: --session RIG/SESSION or --pipeline-version V', {
      hint: 'e.g. recpipe process --pipeline-version 2',
    });
  }
  const bad = outcomes.filter((o) => !['done', 'already_done', 'busy'].includes(o.status));
  const busy = outcomes.filter((o) => o.status === 'busy');
  rt.reporter.succeed(`${outcomes.length - bad.length - busy.length} of ${outcomes.length} processed`);
  const human = outcomes.map(describe).join('\n') || 'nothing to process';
  // Busy is the documented "another instance holds the lock" (6): the work is not done by this
  // run, but it is under way elsewhere; a failure (1) outranks it.
  return { data: { pipeline: config.pipeline, pipelineVersion: version, outcomes }, human, exitCode: bad.length ? 1 : busy.length ? EXIT_CODES.locked : 0 };
}

function describe(o: ProcessOutcome): string {
  if (o.status === 'busy') {
    return `${o.sessionId}: busy: another worker (${o.holder?.owner ?? 'unknown'}) is processing it, lease until ${o.holder?.until ?? '?'}; it finishes there, or run this again after the lease expires`;
  }
  if (o.status === 'already_done') return `${o.sessionId}: already done (processed meanwhile by another worker or run)`;
  if (o.status === 'done_with_gaps')
    return `${o.sessionId}: done with gaps: not decoded: ${(o.undecoded ?? []).join(', ')} (the metadata gives no valid channels / sample_format; see \`recpipe verify\` for the fix)`;
  return `${o.sessionId}: ${o.status}${o.error ? ` (${o.error})` : ''}`;
}

/** SHA-256 of a session's served revision's manifest (what a finished ledger entry records). */
async function servedManifestSha(raw: ObjectStore, ref: SessionRef, policy: Config['acceptRevisions']): Promise<string | undefined> {
  const served = await readServedRevision(raw, ref, policy);
  return served && createHash('sha256').update(served.bytes).digest('hex');
}
