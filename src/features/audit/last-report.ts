/**
 * The last `verify` report of this machine (`$RECPIPE_HOME/verify/last-report.json`): `status`
 * and the web view show its findings beside what they read themselves, so a damaged object that
 * only a re-hash can find is not hidden from them until the next cron run.
 */
import { CATEGORIES, type AuditReport, type Category } from '../../core/audit/findings.js';
import type { Revised } from '../../core/audit/reconcile.js';
import type { RecpipeError } from '../../core/errors.js';
import { arrayOf, bool, int, obj, oneOf, opt, str, type Shape } from '../../core/shape.js';
import { storedRecord } from '../../core/stored-record.js';
import { readRecord, REBUILT, writeRecord } from './records.js';

const NAME = 'last-report.json';

/**
 * A report as stored: its counts may lack categories added since it was written (and nobody
 * reads them from here), so each count is optional.
 */
export type LastReport = Omit<AuditReport, 'counts'> & { counts: Partial<Record<Category, number>>; since?: string; revised: Revised[] };

const category: Shape<Category> = oneOf(...CATEGORIES.map((c) => c.category));
/** Every category known now, each optional: an older report lacks the newer ones. */
const counts: Shape<Partial<Record<Category, number>>> = obj(Object.fromEntries(CATEGORIES.map((c) => [c.category, opt(int)])));

const STORED = obj({
  clean: bool,
  // Reports written before these fields existed read as having none.
  warnings: opt(arrayOf(obj({ sessionId: str, message: str }))),
  revised: opt(arrayOf(obj({ sessionId: str, revision: int, served: opt(int), held: opt(arrayOf(int)) }))),
  checkedAt: str,
  counts,
  inFlight: arrayOf(str),
  findings: arrayOf(
    obj({
      category,
      sessionId: opt(str),
      key: opt(str),
      message: str,
      repair: opt(oneOf('reupload', 'reprocess', 'reregister')),
      next: opt(str),
    }),
  ),
  scanned: obj({
    localSessions: int,
    manifests: int,
    rawObjects: int,
    catalogRows: int,
    outputs: int,
    deepChecked: int,
    deepBytes: opt(int),
    rigFilesHashed: opt(int),
  }),
  since: opt(str),
});

export const LAST_REPORT = storedRecord({ what: 'last verify report', hint: REBUILT, shape: STORED });

export async function writeLastReport(home: string, report: LastReport): Promise<void> {
  await writeRecord(home, NAME, report);
}

/**
 * The last report, or undefined when verify has not run here or its report is damaged (handed to
 * `damaged` first, naming the file and field).
 */
export async function readLastReport(home: string, damaged?: (e: RecpipeError) => void): Promise<LastReport | undefined> {
  const r = await readRecord(home, NAME, LAST_REPORT, undefined, damaged);
  return r && { ...r, warnings: r.warnings ?? [], revised: r.revised ?? [] };
}
