/**
 * The committed sessions in the raw store as the audit sees them: every revision manifest read
 * (16 at a time), the decisions on held revisions, and the served-revision rule applied
 * (core/session/served-revision.ts), so the audit judges the catalog by the served revision and
 * the rig by the newest one.
 */
import { createHash } from 'node:crypto';
import { DECISIONS_PREFIX, decisionKeyInfo, manifestKeyInfo, sessionId, type SessionRef } from '../../core/layout.js';
import { mapLimit } from '../../core/map-limit.js';
import type { ObjectInfo, ObjectStore } from '../../core/ports.js';
import { parseDecision, type Decision } from '../../core/session/decision.js';
import { resolveRevisions, type RevisionPolicy } from '../../core/session/served-revision.js';
import type { AuditInput, CommittedSession } from '../../core/audit/audit-input.js';
import { isRecpipeError } from '../../core/errors.js';
import { MANIFEST } from '../../core/session/manifest-record.js';
import type { ManifestFile } from '../../core/session/manifest-types.js';

/** Object reads in flight at once (small JSON objects; latency-bound on S3). */
const READS = 16;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Reads every committed session among `rawList` (a listing of raw/) with its revisions resolved. */
export async function readCommittedSessions(
  raw: ObjectStore,
  rawList: ObjectInfo[],
  policy: RevisionPolicy,
  damaged: NonNullable<AuditInput['damaged']> = [],
): Promise<Map<string, CommittedSession>> {
  const bySession = new Map<string, { ref: SessionRef; revisions: { revision: number; key: string; lastModified: number }[] }>();
  for (const x of rawList) {
    const info = manifestKeyInfo(x.key);
    if (!info) continue;
    const id = sessionId(info.ref);
    const s = bySession.get(id) ?? { ref: info.ref, revisions: [] };
    s.revisions.push({ revision: info.revision, key: x.key, lastModified: x.lastModified?.getTime() ?? 0 });
    bySession.set(id, s);
  }
  // A session is committed once its first commit marker exists; revisions are numbered from it.
  const committed = [...bySession].filter(([, s]) => s.revisions.some((r) => r.revision === 1));
  const decisions = await readAllDecisions(
    raw,
    committed.some(([, s]) => s.revisions.length > 1),
  );
  const out = new Map<string, CommittedSession>();
  const read = await mapLimit(committed, READS, async ([id, s]) => {
    const revs = [...s.revisions].sort((a, b) => a.revision - b.revision);
    const bodies = await Promise.all(revs.map(async (r) => raw.get(r.key)));
    return { id, revs, bodies };
  });
  for (const { id, revs, bodies } of read) {
    let inputs;
    try {
      inputs = revs.map((r, i) => ({
        revision: r.revision,
        manifest: MANIFEST.parse(bodies[i], r.key),
        sha256: sha256(bodies[i]),
        committedAt: new Date(r.lastModified).toISOString(),
      }));
    } catch (e) {
      // A damaged manifest is a finding (damaged_record); the audit goes on with the other sessions.
      if (!isRecpipeError(e) || e.code !== 'integrity') throw e;
      damaged.push({ key: String((e.details ?? {}).path), sessionId: id, problem: e.message });
      continue;
    }
    const state = resolveRevisions(id, inputs, decisions.get(id) ?? new Map(), policy);
    const served = inputs.find((r) => r.revision === state.served)!;
    const newest = inputs[inputs.length - 1];
    const accepted = state.revisions.find((v) => v.revision === state.served)?.decision;
    const pinned: ManifestFile[] = inputs.flatMap((r) => r.manifest.files);
    out.set(id, {
      manifest: served.manifest,
      // A revision accepted by a person is registered when the decision's processing runs.
      committedAt: Math.max(Date.parse(served.committedAt), accepted ? Date.parse(accepted.at) : 0),
      revision: newest.revision,
      revisionKeys: revs.map((r) => r.key),
      sha256: served.sha256,
      ...(newest.revision !== served.revision ? { newest: newest.manifest } : {}),
      ...(inputs.length > 1 ? { pinned, revisions: state } : {}),
    });
  }
  return out;
}

/** Every decision in the store, by session and revision (listed only when some session has revisions). */
async function readAllDecisions(raw: ObjectStore, needed: boolean): Promise<Map<string, Map<number, Decision>>> {
  const out = new Map<string, Map<number, Decision>>();
  if (!needed) return out;
  const keys = (await raw.list(DECISIONS_PREFIX)).map((o) => ({ key: o.key, info: decisionKeyInfo(o.key) })).filter((x) => x.info);
  const bodies = await mapLimit(keys, READS, (k) => raw.get(k.key));
  keys.forEach((k, i) => {
    const id = sessionId(k.info!.ref);
    const d = parseDecision(bodies[i].toString('utf8'), { sessionId: id, revision: k.info!.revision });
    if ('problem' in d) return;
    const m = out.get(id) ?? new Map<number, Decision>();
    m.set(k.info!.revision, d);
    out.set(id, m);
  });
  return out;
}
