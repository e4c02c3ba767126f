/**
 * `recpipe verify`: audit rig folders, raw store, manifests, catalog, outputs and ledger; exit 0
 * only when clean. Read-only unless --repair, which re-drives what can be re-driven and never
 * deletes anything.
 */
import type { CommandResult, Runtime } from '../context.js';
import { openServices } from '../../composition/services.js';
import { CATEGORIES, summarize, type AuditReport } from '../../core/audit/findings.js';
import { reconcile, type Revised } from '../../core/audit/reconcile.js';
import { parseDay } from '../../core/query/filter.js';
import { RecpipeError, EXIT_CODES } from '../../core/errors.js';
import { renderTable } from '../render/table.js';
import { gather } from '../../audit/gather.js';
import { rigOfApiKey } from '../../audit/rig-of-key.js';
import { repair, type RepairActions, type RepairOutcome } from '../../audit/repair.js';
import type { Services } from '../../composition/services.js';

export interface VerifyFlags {
  root?: string;
  rig?: string;
  since?: string;
  deepSample?: number;
  graceHours?: number;
  repair?: boolean;
}

export async function verifyCommand(rt: Runtime, flags: VerifyFlags): Promise<CommandResult> {
  const config = rt.config();
  if (flags.since) parseDay(flags.since, '--since');
  const pct = flags.deepSample ?? 1;
  if (!(pct >= 0 && pct <= 100)) throw new RecpipeError('usage', `--deep-sample ${pct} is not a percentage`, { hint: 'give a number from 0 to 100' });
  // On a rig, its API key names the rig; --rig is for operators auditing a rig's folders from elsewhere.
  const rig = flags.root && !flags.rig ? await rigOfApiKey(config) : flags.rig;
  const services = openServices(config, rt.logger);
  try {
    const { raw, lake } = await services.storage();
    let revised: Revised[] = [];
    const audit = async (): Promise<AuditReport> => {
      const input = await gather({
        raw,
        lake,
        root: flags.root,
        rig,
        since: flags.since,
        deepSample: pct / 100,
        graceMs: (flags.graceHours ?? 2) * 3600_000,
        pipeline: config.pipeline,
        pipelineVersion: config.pipelineVersion,
        reporter: rt.reporter,
      });
      const r = reconcile(input);
      revised = r.revised;
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
        },
        new Date().toISOString(),
        r.warnings,
      );
    };
    let report = await audit();
    let repairs: RepairOutcome[] | undefined;
    if (flags.repair && !report.clean) {
      repairs = await repair(report.findings, repairActions(rt, services), flags.root);
      report = await audit();
    }
    rt.logger.log(report.clean ? 'info' : 'error', 'verify.report', { clean: report.clean, counts: report.counts, inFlight: report.inFlight.length });
    const revisions =
      revised.length > 0 ? `\n${revised.length} session(s) with revisions: ${revised.map((x) => `${x.sessionId} (revision ${x.revision})`).join(', ')}` : '';
    return { data: { ...report, revised, repairs }, human: render(report, repairs) + revisions, exitCode: report.clean ? 0 : EXIT_CODES.gaps };
  } finally {
    services.close();
  }
}

/** --repair re-uploads through the profile's API and re-drives processing; loaded only when repairing. */
function repairActions(rt: Runtime, services: Services): RepairActions {
  const { config } = services;
  return {
    reupload: async (dir) => {
      const { uploadDirs } = await import('../../ingest/upload-dirs.js');
      await uploadDirs([dir], {
        config,
        openApi: () => services.ingestApi(),
        clientTransport: 'api',
        reporter: rt.reporter,
        logger: rt.logger,
        signal: rt.signal,
      });
    },
    reprocess: async (ids) => {
      const { redriveSessions } = await import('../../process/redrive.js');
      return redriveSessions(config, ids, rt.logger);
    },
  };
}

function render(r: AuditReport, repairs?: RepairOutcome[]): string {
  const rows = CATEGORIES.map((c) => ({ category: c.category, layer: c.layer, found: r.counts[c.category], repair: c.repair ?? '-' }));
  const lines = [renderTable(['category', 'layer', 'found', 'repair'], rows)];
  for (const f of r.findings) lines.push(`${f.category}: ${f.sessionId ?? ''}${f.key ? ` ${f.key}` : ''}: ${f.message}`);
  for (const w of r.warnings) lines.push(`warning: ${w.sessionId}: ${w.message}`);
  if (repairs) for (const x of repairs) lines.push(`repair ${x.action} ${x.sessionId}: ${x.ok ? 'done' : `failed: ${x.error}`}`);
  const s = r.scanned;
  lines.push(
    `scanned ${s.manifests} sessions, ${s.rawObjects} raw objects, ${s.catalogRows} catalog rows, ${s.outputs} outputs; re-hashed ${s.deepChecked}; ${r.inFlight.length} in flight`,
  );
  const warned = r.warnings.length ? ` (${r.warnings.length} warning(s): archived with content problems, not failures)` : '';
  lines.push((r.clean ? 'clean' : `${r.findings.length} problem(s) found`) + warned);
  return lines.join('\n');
}
