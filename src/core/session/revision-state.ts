/**
 * Reads what the served-revision rule needs from the raw bucket (every revision manifest and every
 * decision of a session) and applies it. `readServedRevision` is the one call that says which
 * revision of a session the catalog, processing and `pull` serve.
 */
import { createHash } from 'node:crypto';
import { RecpipeError } from '../errors.js';
import { decisionKey, decisionKeyInfo, decisionsPrefix, sessionId, type SessionRef } from '../layout.js';
import type { ObjectStore } from '../ports.js';
import { DECISION_SCHEMA, parseDecision, type Decision, type Verdict } from './decision.js';
import { committedRevisions, readRevision, type StoredRevision } from './revisions.js';
import { resolveRevisions, type RevisionPolicy, type RevisionState } from './served-revision.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every decision stored for a session, by revision (unreadable ones are skipped: a held revision stays held). */
export async function readDecisions(raw: ObjectStore, ref: SessionRef): Promise<Map<number, Decision>> {
  const out = new Map<number, Decision>();
  for (const o of await raw.list(decisionsPrefix(ref))) {
    const info = decisionKeyInfo(o.key);
    if (!info) continue;
    const d = parseDecision((await raw.get(o.key)).toString('utf8'), { sessionId: sessionId(ref), revision: info.revision });
    if (!('problem' in d)) out.set(info.revision, d);
  }
  return out;
}

/** A session's revisions with their status and the served one; undefined when it is not committed. */
export async function readRevisionState(
  raw: ObjectStore,
  ref: SessionRef,
  policy: RevisionPolicy,
): Promise<(RevisionState & { stored: Map<number, StoredRevision> }) | undefined> {
  const numbers = await committedRevisions(raw, ref);
  if (numbers.length === 0) return undefined;
  const stored = new Map<number, StoredRevision>();
  for (const n of numbers) stored.set(n, await readRevision(raw, ref, n));
  const decisions = numbers.length > 1 ? await readDecisions(raw, ref) : new Map<number, Decision>();
  const inputs = numbers.map((n) => {
    const { manifest, bytes } = stored.get(n)!;
    return { revision: n, manifest, sha256: sha256(bytes), committedAt: manifest.createdAt };
  });
  return { ...resolveRevisions(sessionId(ref), inputs, decisions, policy), stored };
}

/**
 * The revision of a session that is served (what the catalog, processing and `pull` use), with
 * the state it was chosen from; undefined when the session is not committed. A session with one
 * revision costs one HEAD and one LIST more than reading its manifest.
 */
export async function readServedRevision(
  raw: ObjectStore,
  ref: SessionRef,
  policy: RevisionPolicy,
): Promise<(StoredRevision & { state: RevisionState }) | undefined> {
  const s = await readRevisionState(raw, ref, policy);
  if (!s) return undefined;
  const { stored, ...state } = s;
  return { ...stored.get(s.served)!, state };
}

/**
 * Stores a person's decision on a held revision, write-once (If-None-Match): a second decision on
 * the same revision is refused naming the first. Only revisions that are held may be decided.
 */
export async function writeDecision(
  raw: ObjectStore,
  ref: SessionRef,
  revision: number,
  verdict: Verdict,
  o: { by: string; at: Date; reason?: string; policy: RevisionPolicy },
): Promise<{ decision: Decision; state: RevisionState }> {
  const s = await readRevisionState(raw, ref, o.policy);
  const id = sessionId(ref);
  if (!s) throw new RecpipeError('not_found', `session ${id} is not committed`, { hint: 'check the id with `recpipe revisions list`' });
  const view = s.revisions.find((v) => v.revision === revision);
  if (!view) {
    throw new RecpipeError('not_found', `session ${id} has no revision ${revision} (newest: ${s.newest})`, {
      hint: `list them with \`recpipe revisions list ${id}\``,
    });
  }
  if (view.decision) {
    throw new RecpipeError(
      'conflict',
      `revision ${revision} of ${id} was already decided: ${view.decision.decision} by ${view.decision.by} at ${view.decision.at}`,
      {
        hint: 'decisions are write-once; a later revision can be decided on its own',
      },
    );
  }
  if (view.status !== 'held') {
    throw new RecpipeError('conflict', `revision ${revision} of ${id} is ${view.status.replace('_', ' ')}, not held: there is nothing to decide`, {
      hint: `\`recpipe revisions list ${id}\` shows which revisions are held`,
    });
  }
  const decision: Decision = {
    schema: DECISION_SCHEMA,
    sessionId: id,
    revision,
    decision: verdict,
    manifestSha256: view.manifestSha256,
    by: o.by,
    at: o.at.toISOString(),
    ...(o.reason ? { reason: o.reason } : {}),
  };
  try {
    await raw.put(decisionKey(ref, revision), JSON.stringify(decision, null, 2) + '\n', { ifNoneMatch: true, contentType: 'application/json' });
  } catch (e) {
    if (e instanceof RecpipeError && e.code === 'conflict')
      throw new RecpipeError('conflict', `revision ${revision} of ${id} was decided by someone else meanwhile`, {
        hint: `see \`recpipe revisions list ${id}\``,
      });
    throw e;
  }
  const after = await readRevisionState(raw, ref, o.policy);
  const { stored: _s, ...state } = after!;
  return { decision, state };
}
