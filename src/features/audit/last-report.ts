/**
 * The last `verify` report of this machine (`$RECPIPE_HOME/verify/last-report.json`): `status`
 * and the web view show its findings beside what they read themselves, so a damaged object that
 * only a re-hash can find is not hidden from them until the next cron run.
 */
import type { AuditReport } from '../../core/audit/findings.js';
import type { Revised } from '../../core/audit/reconcile.js';
import { readRecord, writeRecord } from './records.js';

const NAME = 'last-report.json';

export type LastReport = AuditReport & { since?: string; revised: Revised[] };

export async function writeLastReport(home: string, report: LastReport): Promise<void> {
  await writeRecord(home, NAME, report);
}

/** The last report, or undefined when verify has not run here. */
export async function readLastReport(home: string): Promise<LastReport | undefined> {
  return readRecord<LastReport | undefined>(home, NAME, undefined);
}
