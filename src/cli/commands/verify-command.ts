/**
 * `recpipe verify`: audit rig folders, raw store, manifests, revisions, catalog, outputs and
 * ledger; exit 0 only when clean. Read-only on the stores unless --repair, which re-drives what
 * can be re-driven and never deletes anything. `--pulled DIR` checks a pull folder instead.
 */
import type { CommandResult, Runtime } from '../context.js';
import { summarize, type AuditReport } from '../../core/audit/findings.js';
import { reconcile, type Revised } from '../../core/audit/reconcile.js';
import { EXIT_CODES } from '../../core/errors.js';
import { gather } from '../../features/audit/gather.js';
import { auditStates } from '../../features/audit/audit-states.js';
import { stateCounts, type SessionState } from '../../core/audit/session-state.js';
import { writeLastReport } from '../../features/audit/last-report.js';
import { rigOfApiKey } from '../../features/audit/rig-of-key.js';
import { repair, type RepairActions, type RepairOutcome } from '../../features/audit/repair.js';
import type { Services } from '../../composition/services.js';
import { renderPulled, renderVerify } from '../render/verify.js';
import type { FlagsOf } from '../flags/table.js';

/** The options of `recpipe verify`, parsed (declared in src/cli/flags/ingest-flags.ts). */
export type VerifyFlags = FlagsOf<'verify'>;

export async function verifyCommand(rt: Runtime, flags: VerifyFlags): Promise<CommandResult> {
  if (flags.pulled) return verifyPulled(rt, flags.pulled);
  // --scrub-budget-gb is the config key scrubBudgetGB; --since and --grace-hours were read by the flag table.
  const config = rt.config();
  const grace = flags.graceHours;
  // On a rig, its API key names the rig; --rig is for operators auditing a rig's folders from elsewhere.
  const services = rt.services(config);
  const rig = flags.root && !flags.rig ? await rigOfApiKey({ ...services.endpoints(), open: () => services.ingestApi() }) : flags.rig;
  try {
    const { raw, lake } = await services.storage();
    let revised: Revised[] = [];
    let states: SessionState[] = [];
    const audit = async (): Promise<AuditReport> => {
      const input = await gather({
        raw,
        lake,
        home: config.home,
        root: flags.root,
        rig,
        rehashRig: flags.rehashRig,
        since: flags.since,
        scrubBudgetBytes: config.scrubBudgetGB * 1e9,
        scrubPeriodDays: config.scrubPeriodDays,
        graceMs: grace * 3600_000,
        pipeline: config.pipeline,
        pipelineVersion: config.pipelineVersion,
        policy: config.acceptRevisions,
        reporter: rt.reporter,
      });
      const r = reconcile(input);
      revised = r.revised;
      const checkedAt = new Date().toISOString();
      states = auditStates(input, r.findings, checkedAt);
      return summarize(
        r.findings,
        r.inFlight,
        {
          localSessions: input.local?.length ?? 0,
          manifests: input.manifests.size,
          rawObjects: input.rawObjects.size,
          catalogRows: input.catalogRows.size,
          outputs: input.outputs.size,
          deepChecked: input.deepChecked,
          deepBytes: input.deepBytes,
          rigFilesHashed: input.rigFilesHashed,
        },
        checkedAt,
        r.warnings,
      );
    };
    let report = await audit();
    let repairs: RepairOutcome[] | undefined;
    if (flags.repair && !report.clean) {
      repairs = await repair(report.findings, repairActions(rt, services), flags.root);
      report = await audit();
    }
    await writeLastReport(config.home, { ...report, since: flags.since, revised });
    rt.logger.log(report.clean ? 'info' : 'error', 'verify.report', { clean: report.clean, counts: report.counts, inFlight: report.inFlight.length });
    const sessions = { counts: stateCounts(states), attention: states.filter((s) => s.tone === 'attention' || s.tone === 'failing') };
    return {
      data: { ...report, revised, repairs, sessions },
      human: renderVerify(report, revised, repairs, sessions.counts),
      exitCode: report.clean ? 0 : EXIT_CODES.gaps,
    };
  } finally {
    services.close();
  }
}

async function verifyPulled(rt: Runtime, dir: string): Promise<CommandResult> {
  const { checkPulledDir } = await import('../../features/audit/pulled-dir.js');
  const report = await checkPulledDir(dir, rt.reporter);
  rt.logger.log(report.clean ? 'info' : 'error', 'verify.pulled', { dir: report.dir, files: report.files, problems: report.problems.length });
  return { data: report, human: renderPulled(report), exitCode: report.clean ? 0 : EXIT_CODES.gaps };
}

/** --repair re-uploads through the profile's API and re-drives processing; loaded only when repairing. */
function repairActions(rt: Runtime, services: Services): RepairActions {
  const { config } = services;
  return {
    reupload: async (dir) => {
      const { uploadDirs } = await import('../../features/ingest/upload-dirs.js');
      await uploadDirs([dir], {
        config,
        openApi: () => services.ingestApi(),
        clientTransport: 'api',
        reporter: rt.reporter,
        logger: rt.logger,
        signal: rt.signal,
      });
    },
    // Over the audit's own stores: repairing opens no second S3 client.
    reprocess: async (ids) => {
      const { redriveSessions } = await import('../../features/process/redrive.js');
      return redriveSessions(await services.storage(), config, ids, rt.logger);
    },
  };
}
