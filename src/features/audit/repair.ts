/**
 * `verify --repair`: re-drive what can be re-driven. Re-upload from the rig (when --root is
 * given), re-process (which also re-registers). Never deletes, never overwrites raw data.
 * The actions are injected (the CLI wires them to the upload and processing features), so the
 * audit decides what to re-drive without reaching into another command.
 */
import { join } from 'node:path';
import type { Finding } from '../../core/audit/findings.js';
import { messageOf } from '../../core/errors.js';
import { sessionPartOf } from '../../core/layout.js';

export interface RepairOutcome {
  action: 'reupload' | 'reprocess';
  sessionId: string;
  ok: boolean;
  error?: string;
}

export interface RepairActions {
  /** Uploads one session folder from the rig (resumable; what is already there is not sent again). */
  reupload(dir: string): Promise<void>;
  /** Processes these sessions again, from whatever state they are in. */
  reprocess(sessionIds: string[]): Promise<{ sessionId: string; ok: boolean; error?: string }[]>;
}

export async function repair(findings: Finding[], actions: RepairActions, root?: string): Promise<RepairOutcome[]> {
  const out: RepairOutcome[] = [];
  const reupload = new Set(findings.filter((f) => f.repair === 'reupload' && f.sessionId).map((f) => f.sessionId!));
  const reprocess = new Set(findings.filter((f) => (f.repair === 'reprocess' || f.repair === 'reregister') && f.sessionId).map((f) => f.sessionId!));
  if (reupload.size > 0 && root) {
    for (const id of reupload) {
      try {
        await actions.reupload(join(root, sessionPartOf(id)));
        out.push({ action: 'reupload', sessionId: id, ok: true });
        reprocess.add(id); // process it now too; the ledger makes a concurrent event-driven run harmless
      } catch (e) {
        out.push({ action: 'reupload', sessionId: id, ok: false, error: messageOf(e) });
      }
    }
  }
  if (reprocess.size > 0) {
    for (const r of await actions.reprocess([...reprocess])) out.push({ action: 'reprocess', sessionId: r.sessionId, ok: r.ok, error: r.error });
  }
  return out;
}
