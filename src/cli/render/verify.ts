/** `recpipe verify`'s report for people: the category table, each finding with its next step, warnings, figures. */
import { CATEGORIES, type AuditReport } from '../../core/audit/findings.js';
import type { Revised } from '../../core/audit/reconcile.js';
import type { RepairOutcome } from '../../features/audit/repair.js';
import type { PulledReport } from '../../features/audit/pulled-dir.js';
import { renderTable } from './table.js';
import type { stateCounts } from '../../core/audit/session-state.js';

export function renderVerify(r: AuditReport, revised: Revised[], repairs?: RepairOutcome[], counts?: ReturnType<typeof stateCounts>): string {
  const rows = CATEGORIES.map((c) => ({ category: c.category, layer: c.layer, found: r.counts[c.category], repair: c.repair ?? '-' }));
  const lines = [renderTable(['category', 'layer', 'found', 'repair'], rows)];
  for (const f of r.findings) {
    lines.push(`${f.category}: ${f.sessionId ?? ''}${f.key ? ` ${f.key}` : ''}: ${f.message}`);
    if (f.next) lines.push(`  next: ${f.next}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w.sessionId}: ${w.message}`);
  if (repairs) for (const x of repairs) lines.push(`repair ${x.action} ${x.sessionId}: ${x.ok ? 'done' : `failed: ${x.error}`}`);
  const s = r.scanned;
  const gb = ((s.deepBytes ?? 0) / 1e9).toFixed(2);
  lines.push(
    `scanned ${s.manifests} sessions, ${s.rawObjects} raw objects, ${s.catalogRows} catalog rows, ${s.outputs} outputs; re-hashed ${s.deepChecked} objects (${gb} GB)${s.rigFilesHashed !== undefined && s.localSessions ? `, ${s.rigFilesHashed} rig files` : ''}; ${r.inFlight.length} in flight`,
  );
  if (revised.length)
    lines.push(
      `${revised.length} session(s) with revisions: ${revised.map((x) => `${x.sessionId} (revision ${x.revision}${x.served !== undefined && x.served !== x.revision ? `, serves ${x.served}` : ''}${x.held?.length ? `, held ${x.held.join(', ')}` : ''})`).join(', ')}`,
    );
  if (counts)
    lines.push(
      `sessions: ${counts.done} done, ${counts.done_with_gaps} done with gaps, ${counts.dead} dead, ${counts.retrying} failed (retrying), ${counts.incomplete} incomplete, ${counts.processing} processing, ${counts.not_processed} not processed; ${counts.held} with a revision held for review`,
    );
  const warned = r.warnings.length ? ` (${r.warnings.length} warning(s): archived with content problems, not failures)` : '';
  lines.push((r.clean ? 'clean' : `${r.findings.length} problem(s) found`) + warned);
  return lines.join('\n');
}

export function renderPulled(r: PulledReport): string {
  const lines = r.problems.flatMap((p) => [`${p.problem}: ${p.path}${p.sessionId ? ` (${p.sessionId})` : ''}: ${p.message}`, `  next: ${p.next}`]);
  lines.push(`checked ${r.files} files (${(r.bytes / 1e9).toFixed(2)} GB) in ${r.dir}${r.pulledAt ? `, pulled ${r.pulledAt}` : ''}`);
  lines.push(r.clean ? 'clean' : `${r.problems.length} problem(s) found`);
  return lines.join('\n');
}
