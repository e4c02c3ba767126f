/** A session's revisions for people: which is served, which are held, and what each changes. */
import type { RevisionState, RevisionView } from '../../core/session/served-revision.js';

const STATUS: Record<RevisionView['status'], string> = {
  first: 'first commit',
  auto_accepted: 'accepted (adds files only)',
  accepted: 'accepted',
  held: 'HELD for review',
  rejected: 'rejected',
  superseded: 'superseded (a later revision is served)',
};

/** Several lines: the session, then one block per revision; held ones say how to decide. */
export function renderRevisionState(s: RevisionState): string {
  const lines = [`${s.sessionId}: serves revision ${s.served} of ${s.newest}${s.held.length ? `; held: ${s.held.join(', ')}` : ''}`];
  for (const v of s.revisions) {
    const mark = v.revision === s.served ? ' (served)' : '';
    const decided = v.decision ? ` by ${v.decision.by} at ${v.decision.at}${v.decision.reason ? `: ${v.decision.reason}` : ''}` : '';
    lines.push(`  revision ${v.revision}${mark}: ${STATUS[v.status]}${decided}${v.committedAt ? `, created ${v.committedAt}` : ''}`);
    for (const c of v.changed)
      lines.push(`    changes ${c.name}: ${c.before.size} bytes sha256 ${c.before.sha256} -> ${c.after.size} bytes sha256 ${c.after.sha256}`);
    if (v.added.length) lines.push(`    adds ${v.added.join(', ')}`);
    if (v.variablesChanged) lines.push(`    changes the metadata variables (revision ${v.comparedWith}'s are served)`);
    if (v.status === 'held')
      lines.push(`    decide: recpipe revisions accept ${s.sessionId} ${v.revision}   or   recpipe revisions reject ${s.sessionId} ${v.revision}`);
  }
  return lines.join('\n');
}
