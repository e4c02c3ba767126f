/**
 * `recpipe snapshot create NAME [FILTER...] [--sql ...]`: freezes the files a query gives now
 * under NAME. The name is written once: the same files again is a no-op, other files are refused
 * (conflict, exit 3). Before the snapshot is written, each session it references gets a pin that
 * processing reads before it writes that session's outputs again (src/features/process/keep-pinned.ts),
 * and the sessions are checked to be at rest: none being processed (a run that began before the
 * pin could be replacing outputs now) and each output index still what the query read.
 */
import type { Config } from '../../config/schema.js';
import { RecpipeError } from '../../core/errors.js';
import { catalogFilesKey, ledgerKey, parseSessionId, snapshotPinKey } from '../../core/layout.js';
import { mapLimit } from '../../core/map-limit.js';
import type { ObjectStore } from '../../core/ports.js';
import type { ProcessedFileRow } from '../../core/catalog/types.js';
import { PROCESSED_FILE_ROW, readLedgerEntry } from '../../core/catalog/records.js';
import { recordVariables } from '../../core/query/records.js';
import {
  diffSnapshots,
  pinGroups,
  sameFiles,
  snapshotRows,
  summarize,
  type SnapshotFile,
  type SnapshotRow,
  type SnapshotSummary,
} from '../../core/snapshot/rows.js';
import type { OpenEngine } from '../query/open-engine.js';
import { runQuery, type QueryOptions } from '../query/run-query.js';
import { filesByKey } from './files-by-key.js';
import { putSnapshot, readSnapshot } from './snapshot-store.js';

export interface CreateOptions extends Omit<QueryOptions, 'columns' | 'engine'> {
  name: string;
  now?: Date;
}

/** What a snapshot is taken with: the profile's query engine and its lake bucket (asked for once the files are chosen). */
export interface SnapshotPorts {
  openEngine: OpenEngine;
  lake(): Promise<ObjectStore>;
}

export interface Created extends SnapshotSummary {
  /** False when a snapshot of that name already held exactly these files (nothing was written). */
  created: boolean;
}

/** The files the query chooses now (empty: the reasons why). */
async function chooseFiles(openEngine: OpenEngine, config: Config, o: CreateOptions): Promise<{ files: SnapshotFile[]; empty?: string[] }> {
  const r = await runQuery(openEngine, config, o);
  if (o.sql === undefined) return { files: r.files.map((f) => ({ ...f, revision: f.revision ?? null, variables: recordVariables(f) })), empty: r.empty };
  if (r.rows.length > 0 && !r.columns.includes('key'))
    throw new RecpipeError('usage', `--sql for a snapshot must return a "key" column (the files' keys); it returned ${r.columns.join(', ')}`, {
      hint: 'e.g. --sql "SELECT f.key FROM processed_files f JOIN sessions s ON s.session_id = f.session_id WHERE ..."',
    });
  const keys = [...new Set(r.rows.map((x) => String(x.key)))];
  const files = await filesByKey(openEngine, r.sql!);
  const found = new Set(files.map((f) => f.key));
  const missing = keys.filter((k) => !found.has(k));
  if (missing.length > 0)
    throw new RecpipeError('usage', `--sql returned keys the output index does not list: ${missing.slice(0, 5).join(', ')}`, {
      hint: 'select f.key from processed_files',
    });
  return { files, empty: files.length === 0 ? ['the SQL returned no files'] : undefined };
}

export async function createSnapshot(ports: SnapshotPorts, config: Config, o: CreateOptions): Promise<Created | { empty: string[] }> {
  const query = o.sql ?? [...o.filters, ...(o.from ? [`--from ${o.from}`] : []), ...(o.to ? [`--to ${o.to}`] : []), ...(o.ignoreCase ? ['-i'] : [])].join(' ');
  const { files, empty } = await chooseFiles(ports.openEngine, config, o);
  if (files.length === 0) return { empty: empty ?? [] };
  const rows = snapshotRows(o.name, (o.now ?? new Date()).toISOString(), query, files);
  const lake = await ports.lake();
  const existing = await readSnapshot(lake, o.name);
  if (existing) return same(existing, rows);
  await pinAndCheck(lake, rows);
  if (await putSnapshot(lake, rows)) return { ...summarize(rows), created: true };
  // Taken meanwhile by another create: the same rule as above.
  return same((await readSnapshot(lake, o.name)) ?? [], rows);
}

/** A name is never reused: the same files is a no-op, anything else a conflict naming the difference. */
function same(existing: SnapshotRow[], rows: SnapshotRow[]): Created {
  if (sameFiles(existing, rows)) return { ...summarize(existing), created: false };
  const d = diffSnapshots(existing, rows);
  throw new RecpipeError(
    'conflict',
    `snapshot "${rows[0].snapshot}" already exists with other files (now: ${d.added.length} more, ${d.removed.length} fewer, ${d.changed.length} changed); a snapshot name is never reused`,
    {
      hint: 'pick another name (e.g. add -v2), or `recpipe snapshot show` the existing one',
      details: { added: d.added.slice(0, 20), removed: d.removed.slice(0, 20), changed: d.changed.slice(0, 20) },
    },
  );
}

/**
 * Pins every session x pipeline version, then checks it is at rest. Pin first, look second: a
 * processing run claims its ledger entry before it reads the pins, so a run this check does not
 * see running will see the pin.
 */
async function pinAndCheck(lake: ObjectStore, rows: SnapshotRow[]): Promise<void> {
  const name = rows[0].snapshot;
  const groups = pinGroups(rows);
  await mapLimit(groups, 16, async (g) => {
    await lake.put(
      snapshotPinKey(parseSessionId(g.session_id), g.pipeline, g.pipeline_version, name),
      JSON.stringify({ snapshot: name, files: g.files }) + '\n',
    );
  });
  await mapLimit(groups, 16, async (g) => {
    const ref = parseSessionId(g.session_id);
    // A damaged entry or index is an integrity error naming its key: the snapshot is not written on it.
    const ledger = (await readLedgerEntry(lake, ledgerKey(ref, g.pipeline, g.pipeline_version)))?.entry;
    if (ledger && ledger.state !== 'done') {
      throw new RecpipeError(
        ledger.state === 'running' ? 'locked' : 'failed',
        `session ${g.session_id} (${g.pipeline} v${g.pipeline_version}) is ${ledger.state === 'running' ? 'being processed' : `not at rest (processing: ${ledger.state})`}: its outputs may be changing; no snapshot was written`,
        {
          hint:
            ledger.state === 'running'
              ? 'run the same command again once processing is done (`recpipe status`)'
              : 'process it again (`recpipe process --session ID`) or leave it out',
        },
      );
    }
    const index = new Map((await readRows(lake, catalogFilesKey(ref, g.pipeline, g.pipeline_version))).map((r) => [r.key, r.sha256]));
    const moved = g.files.filter((f) => index.get(f.key) !== f.sha256);
    if (moved.length > 0)
      throw new RecpipeError(
        'conflict',
        `session ${g.session_id} was processed again while the snapshot was being taken (${moved[0].key}); no snapshot was written`,
        {
          hint: 'run the same command again',
        },
      );
  });
}

async function readRows(lake: ObjectStore, key: string): Promise<ProcessedFileRow[]> {
  if (!(await lake.head(key))) return [];
  return PROCESSED_FILE_ROW.parseLines(await lake.get(key), key);
}
