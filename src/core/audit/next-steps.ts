/**
 * The next step of every finding, for the person reading the report: the command that repairs it,
 * or what they must decide or do. One table, so the CLI, `--json` and the web view say the same.
 */
import type { Category, Finding } from './findings.js';
import { SNAPSHOTS_PREFIX } from '../layout.js';

const RUNBOOK = 'docs/operations.md, "A corrupted or incomplete raw object"';

/** Per category: the next step for a finding about session `id` (or key `key`). */
const NEXT: Record<Category, (id: string, key: string) => string> = {
  local_not_uploaded: (id) => `recpipe verify --repair --root DIR (re-uploads it), or recpipe upload DIR/${id.split('/')[1] ?? ''}`,
  local_differs: (id) => `recpipe upload DIR/${id.split('/')[1] ?? ''} archives it as the next revision (or recpipe verify --repair --root DIR)`,
  local_content_differs: (id) =>
    `a person decides: if the rig's copy is damaged (a disk fault), restore the file from the archive and check the rig's disk; if it was rewritten on purpose, recpipe upload DIR/${id.split('/')[1] ?? ''} archives it as a held revision to accept (recpipe revisions accept)`,
  raw_missing: (id) => `raw objects are write-once: follow ${RUNBOOK}; then recpipe process --session ${id}`,
  raw_size_mismatch: (id) => `raw objects are write-once: follow ${RUNBOOK}; then recpipe process --session ${id}`,
  raw_checksum_mismatch: (id) =>
    `raw objects are write-once: follow ${RUNBOOK} (an earlier object version, or the rig's copy: recpipe verify --root DIR --rig RIG); then recpipe process --session ${id}`,
  stale_upload: () => 'nothing: the raw bucket aborts it after 7 days, and a rig that resumes completes it',
  orphan_raw_object: () => 'nothing is deleted: if its session was abandoned, upload the folder again from the rig (recpipe upload DIR)',
  not_registered: (id) => `recpipe verify --repair (or recpipe process --session ${id}) registers it`,
  orphan_catalog_row: () => 'a catalog row no committed session explains: find who wrote it (the lake access log); recpipe deletes nothing',
  catalog_row_differs: (id) => `recpipe verify --repair (or recpipe process --session ${id}) re-registers the served revision`,
  not_processed: (id) => `recpipe verify --repair (or recpipe process --session ${id})`,
  output_missing: (id) => `recpipe verify --repair (or recpipe process --session ${id}) writes the outputs again`,
  output_differs: (id) => `recpipe verify --repair (or recpipe process --session ${id}) writes the outputs again`,
  stuck_running: (id) => `recpipe verify --repair (or recpipe process --session ${id}) takes the expired lease over`,
  dead_letter: (id) => `fix the cause named in the error, then recpipe process --session ${id} (recpipe verify --repair re-drives it too)`,
  incomplete: () => `the raw data does not match its manifest: follow ${RUNBOOK}`,
  not_decoded: (id) =>
    `correct channels / sample_format in the rig's metadata file and upload the folder again (archived as a held revision: recpipe revisions accept ${id} N), or configure a processorCommand that reads these files, then recpipe process --session ${id}`,
  revision_held: (id) => `a person decides: recpipe revisions list ${id}, then recpipe revisions accept or reject it`,
  snapshot_file_missing: (id, key) =>
    `recpipe pull --snapshot will refuse this file; on AWS the replaced bytes survive as a noncurrent version of ${key} for 30 days: copy that version to processed/_kept/<the snapshot's SHA-256> (docs/operations.md, "A snapshot file is missing"); if the session's served revision still gives these bytes, recpipe process --session ${id} --force writes them again`,
  damaged_record: (id, key) =>
    key.startsWith(SNAPSHOTS_PREFIX)
      ? `a snapshot is written once: restore the object's previous version, or take the snapshot again under another name (recpipe snapshot create); recpipe deletes nothing`
      : `processing writes its own records again: recpipe process --session ${id || `RIG/SESSION (named in ${key})`}, or restore the object's previous version; recpipe deletes nothing`,
  scrub_overdue: () => 'raise scrubBudgetGB (recpipe verify --scrub-budget GB) or run verify more often, so every object is re-hashed within scrubPeriodDays',
};

/** The next step for one finding. */
export function nextStep(f: Pick<Finding, 'category' | 'sessionId' | 'key'>): string {
  return NEXT[f.category](f.sessionId ?? '', f.key ?? '');
}

/** The finding with its next step (kept when the finding already names one). */
export function withNextStep(f: Finding): Finding {
  return f.next ? f : { ...f, next: nextStep(f) };
}
