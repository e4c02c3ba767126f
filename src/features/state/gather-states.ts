/**
 * The gather step of the one session state (core/audit/session-state.ts): reads the ledger, the
 * revisions (served-revision rule) and this machine's last verify report, and combines them per
 * session. `status`, `verify` and the web view all call this, so they say the same thing.
 */
import type { LedgerEntry } from '../../core/catalog/types.js';
import type { Finding } from '../../core/audit/findings.js';
import { CATALOG_PREFIX, ledgerKey, manifestKeyInfo, parseSessionId, RAW_PREFIX, sessionId, sessionOfManifestKey } from '../../core/layout.js';
import { mapLimit } from '../../core/map-limit.js';
import type { ObjectStore } from '../../core/ports.js';
import { readRevisionState } from '../../core/session/revision-state.js';
import type { RevisionPolicy } from '../../core/session/served-revision.js';
import { sessionState, type SessionState } from '../../core/audit/session-state.js';
import { readLedgerEntry } from '../../core/catalog/records.js';
import { isRecpipeError } from '../../core/errors.js';
import { readLastReport } from '../audit/last-report.js';

const READS = 16;

export interface StateSources {
  raw: ObjectStore;
  lake: ObjectStore;
  /** RECPIPE_HOME, where the last verify report is. */
  home: string;
  pipeline: string;
  pipelineVersion: string;
  policy: RevisionPolicy;
  now?: number;
}

export interface GatherStatesOptions {
  /** Only these sessions (the web view's session page); every committed session otherwise. */
  ids?: string[];
  /** Findings found now by the caller (the web view's live audit), added to the last report's. */
  liveFindings?: Finding[];
  /** Content warnings per session, when the caller read them (the manifest's). */
  warnings?: Map<string, string[]>;
}

/**
 * Every ledger entry of the pipeline version (or those of `ids`), by session. A damaged entry is
 * not a crash of status or the web view: its session gets a damaged_record finding naming the key and field.
 */
async function readLedger(s: StateSources, ids?: string[]): Promise<{ entries: Map<string, LedgerEntry>; damaged: Finding[] }> {
  const keys = ids
    ? ids.map((id) => ledgerKey(parseSessionId(id), s.pipeline, s.pipelineVersion))
    : (await s.lake.list(`${CATALOG_PREFIX}ledger/${s.pipeline}/${s.pipelineVersion}/`)).map((o) => o.key);
  const entries = new Map<string, LedgerEntry>();
  const damaged: Finding[] = [];
  await mapLimit(keys, READS, async (key) => {
    try {
      const e = (await readLedgerEntry(s.lake, key))?.entry;
      if (e) entries.set(e.session_id, e);
    } catch (e) {
      if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
      // The key ends in `<rig>__<session>.json` (layout.ts ledgerKey).
      const named = /([^/]+)__([^/]+)\.json$/.exec(key);
      damaged.push({ category: 'damaged_record', ...(named ? { sessionId: `${named[1]}/${named[2]}` } : {}), key, message: e.message });
    }
  });
  return { entries, damaged };
}

/** The state of every committed session (or of `ids`), sorted by id. */
export async function gatherSessionStates(s: StateSources, o: GatherStatesOptions = {}): Promise<SessionState[]> {
  const now = s.now ?? Date.now();
  let ids = o.ids;
  let revised: string[];
  if (ids) revised = ids;
  else {
    const committed = new Set<string>();
    const withRevisions = new Set<string>();
    for (const x of await s.raw.list(RAW_PREFIX)) {
      const first = sessionOfManifestKey(x.key);
      if (first) committed.add(sessionId(first));
      const info = manifestKeyInfo(x.key);
      if (info && info.revision > 1) withRevisions.add(sessionId(info.ref));
    }
    ids = [...committed];
    revised = [...withRevisions];
  }
  const { entries: ledger, damaged } = await readLedger(s, o.ids);
  const revisions = new Map(
    (
      await mapLimit(revised, READS, async (id) => {
        const r = await readRevisionState(s.raw, parseSessionId(id), s.policy);
        return [id, r && r.newest > 1 ? { served: r.served, newest: r.newest, held: r.held } : undefined] as const;
      })
    ).filter(([, r]) => r !== undefined),
  );
  const last = await readLastReport(s.home);
  const findings = new Map<string, Finding[]>();
  for (const f of [...(last?.findings ?? []), ...(o.liveFindings ?? []), ...damaged]) {
    if (!f.sessionId) continue;
    const list = findings.get(f.sessionId) ?? [];
    // The same finding from the last report and the live audit is said once.
    if (!list.some((g) => g.category === f.category && g.key === f.key)) list.push(f);
    findings.set(f.sessionId, list);
  }
  return ids.sort().map((id) =>
    sessionState({
      sessionId: id,
      ledger: ledger.get(id),
      revisions: revisions.get(id),
      findings: findings.get(id),
      checkedAt: last?.checkedAt,
      warnings: o.warnings?.get(id),
      now,
    }),
  );
}
