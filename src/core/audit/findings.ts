/**
 * What `recpipe verify` can find, by layer. Each category says which layers disagree, what
 * `--repair` may do about it (never a delete), and (next-steps.ts) what a person does next.
 */
import { withNextStep } from './next-steps.js';

export type Category =
  | 'local_not_uploaded'
  | 'local_differs'
  | 'local_content_differs'
  | 'raw_missing'
  | 'raw_size_mismatch'
  | 'raw_checksum_mismatch'
  | 'stale_upload'
  | 'orphan_raw_object'
  | 'not_registered'
  | 'orphan_catalog_row'
  | 'catalog_row_differs'
  | 'not_processed'
  | 'output_missing'
  | 'output_differs'
  | 'stuck_running'
  | 'dead_letter'
  | 'incomplete'
  | 'not_decoded'
  | 'revision_held'
  | 'snapshot_file_missing'
  | 'scrub_overdue'
  | 'damaged_record';

export type Repair = 'reupload' | 'reprocess' | 'reregister';

export interface Finding {
  category: Category;
  sessionId?: string;
  key?: string;
  message: string;
  /** What --repair would do; absent when only a human can decide. */
  repair?: Repair;
  /** The next step, for a person: the command to run or what to decide (next-steps.ts fills it in). */
  next?: string;
}

/** Category order and the layer pair it reconciles, for the report. */
export const CATEGORIES: { category: Category; layer: string; repair?: Repair }[] = [
  { category: 'local_not_uploaded', layer: 'rig -> raw', repair: 'reupload' },
  { category: 'local_differs', layer: 'rig -> raw', repair: 'reupload' },
  { category: 'local_content_differs', layer: 'rig -> raw' },
  { category: 'raw_missing', layer: 'raw -> manifest' },
  { category: 'raw_size_mismatch', layer: 'raw -> manifest' },
  { category: 'raw_checksum_mismatch', layer: 'raw -> manifest' },
  { category: 'stale_upload', layer: 'raw' },
  { category: 'orphan_raw_object', layer: 'raw -> manifest' },
  { category: 'not_registered', layer: 'manifest -> catalog', repair: 'reregister' },
  { category: 'orphan_catalog_row', layer: 'catalog -> manifest' },
  { category: 'catalog_row_differs', layer: 'catalog -> manifest', repair: 'reregister' },
  { category: 'not_processed', layer: 'catalog -> outputs', repair: 'reprocess' },
  { category: 'output_missing', layer: 'index -> outputs', repair: 'reprocess' },
  { category: 'output_differs', layer: 'index -> outputs', repair: 'reprocess' },
  { category: 'stuck_running', layer: 'ledger', repair: 'reprocess' },
  { category: 'dead_letter', layer: 'ledger', repair: 'reprocess' },
  { category: 'incomplete', layer: 'ledger' },
  { category: 'not_decoded', layer: 'ledger' },
  { category: 'revision_held', layer: 'revisions' },
  { category: 'snapshot_file_missing', layer: 'snapshot -> outputs' },
  { category: 'scrub_overdue', layer: 'raw, lake' },
  { category: 'damaged_record', layer: 'catalog, ledger' },
];

/**
 * A content problem of an archived session (the rig's validation warnings, bytes a processing run
 * left out): reported, never a failure. The bytes are archived as recorded (docs/data-format.md).
 */
export interface AuditWarning {
  sessionId: string;
  message: string;
}

export interface AuditReport {
  /** No findings. Warnings do not make a report unclean. */
  clean: boolean;
  warnings: AuditWarning[];
  checkedAt: string;
  counts: Record<Category, number>;
  inFlight: string[];
  findings: Finding[];
  scanned: {
    localSessions: number;
    manifests: number;
    rawObjects: number;
    catalogRows: number;
    outputs: number;
    /** Objects re-hashed this run (the scrub), and their bytes. */
    deepChecked: number;
    deepBytes?: number;
    /** Rig files hashed this run (the rest were unchanged since their cached hash). */
    rigFilesHashed?: number;
  };
}

export function summarize(
  findings: Finding[],
  inFlight: string[],
  scanned: AuditReport['scanned'],
  checkedAt: string,
  warnings: AuditWarning[] = [],
): AuditReport {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c.category, 0])) as Record<Category, number>;
  for (const f of findings) counts[f.category] += 1;
  const order = new Map(CATEGORIES.map((c, i) => [c.category, i]));
  const sorted = findings
    .map(withNextStep)
    .sort(
      (a, b) =>
        order.get(a.category)! - order.get(b.category)! || (a.sessionId ?? '').localeCompare(b.sessionId ?? '') || (a.key ?? '').localeCompare(b.key ?? ''),
    );
  const w = [...warnings].sort((a, b) => a.sessionId.localeCompare(b.sessionId) || a.message.localeCompare(b.message));
  return { clean: findings.length === 0, warnings: w, checkedAt, counts, inFlight: [...inFlight].sort(), findings: sorted, scanned };
}
