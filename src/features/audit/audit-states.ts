/**
 * The one session state (core/audit/session-state.ts) of each session an audit saw, from what the
 * audit gathered and found: `verify` reports sessions as `status` and the web view do.
 */
import type { AuditInput } from '../../core/audit/reconcile.js';
import type { Finding } from '../../core/audit/findings.js';
import { sessionState, type SessionState } from '../../core/audit/session-state.js';

export function auditStates(input: AuditInput, findings: Finding[], checkedAt: string): SessionState[] {
  const bySession = new Map<string, Finding[]>();
  for (const f of findings) if (f.sessionId) bySession.set(f.sessionId, [...(bySession.get(f.sessionId) ?? []), f]);
  return [...input.manifests.keys()].sort().map((id) => {
    const r = input.manifests.get(id)!.revisions;
    return sessionState({
      sessionId: id,
      ledger: input.ledger.get(id),
      revisions: r ? { served: r.served, newest: r.newest, held: r.held } : undefined,
      findings: bySession.get(id),
      checkedAt,
      now: input.now,
    });
  });
}
