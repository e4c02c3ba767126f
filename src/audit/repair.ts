/**
 * `verify --repair`: re-drive what can be re-driven. Re-upload from the rig (when --root is
 * given), re-process (which also re-registers). Never deletes, never overwrites raw data.
 */
import { join } from 'node:path';
import type { Runtime } from '../cli/context.js';
import type { Config } from '../config/schema.js';
import type { Finding } from '../core/audit/findings.js';
import { messageOf } from '../core/errors.js';
import { sessionPartOf } from '../core/layout.js';

export interface RepairOutcome {
  action: 'reupload' | 'reprocess';
  sessionId: string;
  ok: boolean;
  error?: string;
}

export async function repair(rt: Runtime, config: Config, findings: Finding[], root?: string): Promise<RepairOutcome[]> {
  const out: RepairOutcome[] = [];
  const reupload = new Set(findings.filter((f) => f.repair === 'reupload' && f.sessionId).map((f) => f.sessionId!));
  const reprocess = new Set(findings.filter((f) => (f.repair === 'reprocess' || f.repair === 'reregister') && f.sessionId).map((f) => f.sessionId!));
  if (reupload.size > 0 && root) {
    const { uploadCommand } = await import('../ingest/upload-command.js');
    for (const id of reupload) {
      try {
        await uploadCommand(rt, [join(root, sessionPartOf(id))], {});
        out.push({ action: 'reupload', sessionId: id, ok: true });
        reprocess.add(id); // process it now too; the ledger makes a concurrent event-driven run harmless
      } catch (e) {
        out.push({ action: 'reupload', sessionId: id, ok: false, error: messageOf(e) });
      }
    }
  }
  if (reprocess.size > 0) {
    const { redriveSessions } = await import('../process/redrive.js');
    for (const r of await redriveSessions(config, [...reprocess], rt.logger)) out.push({ action: 'reprocess', sessionId: r.sessionId, ok: r.ok, error: r.error });
  }
  return out;
}
