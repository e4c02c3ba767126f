/**
 * Collects what every layer holds (snapshots' file lists included), for the audit's pure reconcile step. Reads the stores only; on
 * this machine it updates verify's records (records.ts): the scrub's marks and the rig hash cache.
 * The scrub re-hashes stored objects oldest-checked first within a byte budget (scrub.ts).
 */
import type { LedgerEntry, ProcessedFileRow, SessionRow } from '../../core/catalog/types.js';
import type { AuditInput } from '../../core/audit/reconcile.js';
import { CATALOG_PREFIX, RAW_PREFIX, rawObjectPath, rawKeySessionId, sessionPartOf, snapshotKey } from '../../core/layout.js';
import type { ObjectStore, Reporter } from '../../core/ports.js';
import type { RevisionPolicy } from '../../core/session/served-revision.js';
import { mapLimit } from '../../core/map-limit.js';
import { readSnapshot, snapshotNames } from '../snapshot/snapshot-store.js';
import { LEDGER_ENTRY, PROCESSED_FILE_ROW, SESSION_ROW } from '../../core/catalog/records.js';
import type { StoredRecord } from '../../core/stored-record.js';
import { isRecpipeError } from '../../core/errors.js';
import { readCommittedSessions } from './read-sessions.js';
import { scanRigFiles } from './rig-files.js';
import { scrub, type ScrubTarget } from './scrub.js';

/** Object reads in flight at once (small JSON objects; latency-bound on S3). */
const READS = 16;
const DAY = 86_400_000;

export interface GatherOptions {
  raw: ObjectStore;
  lake: ObjectStore;
  /** RECPIPE_HOME: verify's records (scrub marks, rig hash cache) live under it. */
  home: string;
  rig?: string;
  root?: string;
  since?: string;
  /** Re-hash at most this many bytes (0: none, e.g. the web view); every object at least once per `scrubPeriodDays`. */
  scrubBudgetBytes: number;
  scrubPeriodDays: number;
  /** Re-read every rig file, cached hash or not. */
  rehashRig?: boolean;
  graceMs: number;
  pipeline: string;
  pipelineVersion: string;
  policy: RevisionPolicy;
  reporter: Reporter;
  now?: number;
}

export async function gather(o: GatherOptions): Promise<AuditInput & { deepChecked: number; deepBytes: number; rigFilesHashed: number }> {
  const now = o.now ?? Date.now();
  const sinceDay = o.since?.replace(/-/g, '');
  const inScope = (session: string) => !sinceDay || session.slice(0, 8) >= sinceDay;
  /** raw/<rig>/<session>/... keys in scope. */
  const rawKeyInScope = (key: string) => inScope(sessionPartOf(rawKeySessionId(key)));
  o.reporter.step('listing the raw store');
  const rawList = (await o.raw.list(RAW_PREFIX)).filter((x) => rawKeyInScope(x.key));
  const rawObjects = new Map(rawList.map((x) => [x.key, { size: x.size, lastModified: x.lastModified?.getTime() ?? 0, etag: x.etag }]));
  // A damaged catalog object or manifest is a finding (damaged_record), not the end of the audit.
  const damaged: NonNullable<AuditInput['damaged']> = [];
  const manifests = await readCommittedSessions(o.raw, rawList, o.policy, damaged);
  o.reporter.step('reading the catalog');
  const readAll = async <T>(prefix: string, record: StoredRecord<T>, lines: boolean): Promise<T[]> => {
    const read = await mapLimit(await o.lake.list(prefix), READS, async (x): Promise<T[]> => {
      const body = await o.lake.get(x.key);
      try {
        return lines ? record.parseLines(body, x.key) : [record.parse(body, x.key)];
      } catch (e) {
        if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
        // The key names its session (`<rig>__<session>`): a damaged object out of --since's scope is not reported.
        const named = /([^/]+)__(\d{8}_\d{6})/.exec(x.key);
        if (inScope(named?.[2] ?? '')) damaged.push({ key: x.key, problem: e.message, ...(named ? { sessionId: `${named[1]}/${named[2]}` } : {}) });
        return [];
      }
    });
    return read.flat();
  };
  const catalogRows = new Map<string, SessionRow>();
  for (const row of await readAll(`${CATALOG_PREFIX}sessions/`, SESSION_ROW, true)) if (inScope(row.session)) catalogRows.set(row.session_id, row);
  const fileRows: ProcessedFileRow[] = [];
  for (const row of await readAll(`${CATALOG_PREFIX}files/`, PROCESSED_FILE_ROW, true)) if (inScope(sessionPartOf(row.session_id))) fileRows.push(row);
  const ledger = new Map<string, LedgerEntry>();
  for (const e of await readAll(`${CATALOG_PREFIX}ledger/${o.pipeline}/${o.pipelineVersion}/`, LEDGER_ENTRY, false))
    if (inScope(sessionPartOf(e.session_id))) ledger.set(e.session_id, e);
  o.reporter.step('listing unfinished uploads');
  const staleUploads = (await o.raw.listUploads(RAW_PREFIX))
    .filter((u) => rawKeyInScope(u.key))
    .map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: u.initiated.getTime() }));
  const outputs = new Map<string, { size: number; etag?: string; lastModified: number }>();
  for (const x of await o.lake.list('processed/')) outputs.set(x.key, { size: x.size, etag: x.etag, lastModified: x.lastModified?.getTime() ?? 0 });
  o.reporter.step('reading snapshots');
  const snapshotFiles = (
    await mapLimit(await snapshotNames(o.lake), READS, async (name) => {
      try {
        return (await readSnapshot(o.lake, name)) ?? [];
      } catch (e) {
        if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
        damaged.push({ key: snapshotKey(name), problem: e.message });
        return [];
      }
    })
  )
    .flat()
    .filter((r) => inScope(sessionPartOf(r.session_id)))
    .map(({ snapshot, session_id, key, sha256, bytes }) => ({ snapshot, session_id, key, sha256, bytes }));

  // The scrub: every raw object a revision pins and every indexed output, when it is there at the listed size.
  const targets: (ScrubTarget & { sessionId: string; kind: 'raw' | 'lake' })[] = [];
  for (const [id, s] of manifests) {
    const seen = new Set<string>();
    for (const f of s.pinned ?? s.manifest.files) {
      const key = `${RAW_PREFIX}${id}/${rawObjectPath(f)}`;
      const obj = rawObjects.get(key);
      if (seen.has(key) || obj?.size !== f.size) continue;
      seen.add(key);
      targets.push({
        id: `${o.raw.bucket}/${key}`,
        store: o.raw,
        key,
        size: f.size,
        etag: obj.etag,
        storedAt: obj.lastModified,
        sha256: f.sha256,
        sessionId: id,
        kind: 'raw',
      });
    }
  }
  for (const r of fileRows) {
    const obj = outputs.get(r.key);
    if (obj?.size !== r.bytes) continue;
    targets.push({
      id: `${o.lake.bucket}/${r.key}`,
      store: o.lake,
      key: r.key,
      size: r.bytes,
      etag: obj.etag,
      storedAt: obj.lastModified,
      sha256: r.sha256,
      sessionId: r.session_id,
      kind: 'lake',
    });
  }
  const scrubbed = await scrub(targets, {
    home: o.home,
    now,
    periodMs: o.scrubPeriodDays * DAY,
    budgetBytes: o.scrubBudgetBytes,
    reporter: o.reporter,
    prune: !o.since,
  });
  const rawHashes = new Map<string, string>();
  const outputHashes = new Map<string, string>();
  for (const t of targets) {
    const h = scrubbed.hashes.get(t.id);
    if (h !== undefined) (t.kind === 'raw' ? rawHashes : outputHashes).set(t.key, h);
  }
  let rigFilesHashed = 0;
  let local: AuditInput['local'];
  if (o.root && o.rig) {
    o.reporter.step(`comparing ${o.root} with the archive`);
    const scan = await scanRigFiles(o.root, o.rig, {
      home: o.home,
      inScope,
      rehash: o.rehashRig,
      warn: (m) => o.reporter.warn(m),
      archived: (id) => {
        const s = manifests.get(id);
        return s && (s.newest ?? s.manifest);
      },
    });
    local = scan.sessions;
    rigFilesHashed = scan.hashed;
  }
  o.reporter.succeed('gathered');
  return {
    now,
    graceMs: o.graceMs,
    pipeline: o.pipeline,
    pipelineVersion: o.pipelineVersion,
    local,
    manifests,
    rawObjects,
    rawHashes,
    catalogRows,
    fileRows,
    outputs,
    outputHashes,
    ledger,
    staleUploads,
    damaged,
    scrubOverdue: scrubbed.overdue.map((t) => ({ key: t.key, size: t.size, sessionId: t.sessionId })),
    snapshotFiles,
    rawPrefixOf: (id) => `${RAW_PREFIX}${id}/`,
    deepChecked: scrubbed.hashes.size,
    deepBytes: scrubbed.bytes,
    rigFilesHashed,
  };
}
