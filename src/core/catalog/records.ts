/**
 * The checked readers of the catalog's stored records: ledger entries (one JSON object per
 * session x pipeline version) and the session and output index rows (NDJSON). Every reader of a
 * ledger entry goes through `readLedgerEntry` or `LEDGER_ENTRY`, so a damaged entry is refused
 * the same way everywhere, naming its key and field.
 */
import type { ObjectStore } from '../ports.js';
import { anything, arrayOf, fieldsOf, int, mapOf, num, oneOf, opt, str } from '../shape.js';
import { storedRecord } from '../stored-record.js';
import type { LedgerEntry, ProcessedFileRow, SessionRow } from './types.js';

type Dropped = NonNullable<LedgerEntry['dropped']>[number];
type Integrity = NonNullable<LedgerEntry['integrity']>[number];
type RowWarning = NonNullable<SessionRow['warnings']>[number];

const REPROCESS =
  'run `recpipe process --session RIG/SESSION` to write it again (processing rewrites its own records), or restore the object from its previous version';

export const LEDGER_ENTRY = storedRecord<LedgerEntry>({
  what: 'ledger entry',
  hint: REPROCESS,
  shape: fieldsOf<LedgerEntry>()({
    session_id: str,
    pipeline: str,
    pipeline_version: str,
    state: oneOf('pending', 'running', 'done', 'done_with_gaps', 'failed', 'dead', 'incomplete'),
    attempts: int,
    last_error: opt(str),
    last_error_stack: opt(str),
    lease_owner: opt(str),
    lease_expires_at: opt(str),
    started_at: opt(str),
    finished_at: opt(str),
    updated_at: str,
    code_version: str,
    manifest_sha256: opt(str),
    output_count: opt(int),
    compute_path: opt(oneOf('function', 'container')),
    dropped: opt(arrayOf(fieldsOf<Dropped>()({ file: str, bytes: int, reason: str }))),
    integrity: opt(arrayOf(fieldsOf<Integrity>()({ file: str, key: str, manifest_sha256: str, stored_sha256: str }))),
    undecoded: opt(arrayOf(str)),
  }),
});

/** The entry at `key` with the ETag it was read at (for If-Match), or undefined when there is none. */
export async function readLedgerEntry(lake: Pick<ObjectStore, 'head' | 'get'>, key: string): Promise<{ entry: LedgerEntry; etag?: string } | undefined> {
  const head = await lake.head(key);
  if (!head) return undefined;
  return { entry: LEDGER_ENTRY.parse(await lake.get(key), key), etag: head.etag };
}

export const SESSION_ROW = storedRecord<SessionRow>({
  what: 'catalog session row',
  hint: 'run `recpipe verify --repair` to register the session again from its manifest',
  shape: fieldsOf<SessionRow>()({
    session_id: str,
    rig: str,
    session: str,
    recorded_at: str,
    uploaded_at: str,
    file_count: int,
    total_bytes: int,
    raw_prefix: str,
    manifest_sha256: str,
    metadata_file: str,
    num_vars: mapOf(num),
    text_vars: mapOf(str),
    registered_at: str,
    warning_count: opt(int),
    warnings: opt(arrayOf(fieldsOf<RowWarning>()({ code: str, file: opt(str), field: opt(str), message: str }))),
    revision: opt(int),
  }),
});

export const PROCESSED_FILE_ROW = storedRecord<ProcessedFileRow>({
  what: 'output index',
  hint: REPROCESS,
  shape: fieldsOf<ProcessedFileRow>()({
    session_id: str,
    pipeline: str,
    pipeline_version: str,
    key: str,
    file: str,
    bytes: int,
    sha256: str,
    created_at: str,
  }),
});

/** A processed session's `_provenance.json`: shown as it is (the web view), so only its being an object is checked. */
export const PROVENANCE = storedRecord<Record<string, unknown>>({ what: 'provenance record', hint: REPROCESS, shape: mapOf(anything) });
