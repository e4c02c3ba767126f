/**
 * `recpipe status`: every committed session by state (the one session state: ledger, revisions and
 * the last verify's findings, src/features/state/gather-states.ts), with those that need a person and what
 * they should do.
 */
import type { CommandResult, Runtime } from '../context.js';
import { gatherSessionStates } from '../../features/state/gather-states.js';
import { stateCounts, type SessionState } from '../../core/audit/session-state.js';
import { readLastReport } from '../../features/audit/last-report.js';
import { renderTable } from '../render/table.js';

export async function statusCommand(rt: Runtime): Promise<CommandResult> {
  const config = rt.config();
  const { raw, lake } = await rt.services(config).storage();
  const states = await gatherSessionStates({
    raw,
    lake,
    home: config.home,
    pipeline: config.pipeline,
    pipelineVersion: config.pipelineVersion,
    policy: config.acceptRevisions,
  });
  const last = await readLastReport(config.home, (e) => rt.reporter.warn(e.message));
  const c = stateCounts(states);
  // Ledger-state names, as before, plus the states a done count must not hide.
  const counts = {
    pending: c.not_processed,
    running: c.processing,
    done: c.done,
    done_with_gaps: c.done_with_gaps,
    failed: c.retrying,
    dead: c.dead,
    incomplete: c.incomplete,
    held: c.held,
  };
  const attention = states.filter((s) => s.tone === 'attention' || s.tone === 'failing');
  const lines = [
    `pipeline ${config.pipeline} v${config.pipelineVersion}: ${states.length} sessions: ${counts.done} done, ${counts.done_with_gaps} done with gaps, ${counts.dead} dead, ${counts.failed} failed (retrying), ${counts.incomplete} incomplete, ${counts.running} processing, ${counts.pending} not processed; ${counts.held} with a revision held for review`,
  ];
  if (attention.length) lines.push(renderTable(['session_id', 'state', 'problem', 'next'], attention.map(row)));
  lines.push(
    last
      ? `verify findings as of ${last.checkedAt} (this machine's last \`recpipe verify\`${last.since ? ` --since ${last.since}` : ''})`
      : 'no `recpipe verify` has run on this machine: stored objects have not been re-hashed (schedule it: docs/operations.md)',
  );
  return {
    data: {
      pipeline: config.pipeline,
      pipelineVersion: config.pipelineVersion,
      counts,
      attention,
      deadLetters: attention.filter((s) => s.kind === 'dead').map((s) => ({ session_id: s.sessionId, reasons: s.reasons })),
      lastVerify: last ? { checkedAt: last.checkedAt, clean: last.clean, since: last.since } : null,
    },
    human: lines.join('\n'),
  };
}

function row(s: SessionState): Record<string, string> {
  const first = s.reasons[0];
  return {
    session_id: s.sessionId,
    state: s.label + (s.revisions?.held.length ? `, revision ${s.revisions.held.join(', ')} held` : ''),
    problem: first?.message.slice(0, 160) ?? '',
    next: first?.next?.slice(0, 160) ?? '',
  };
}
