/**
 * The revision states of the sessions that have more than one revision (or of one session), for
 * `recpipe revisions list`, `status` and the web view. Reads only.
 */
import { manifestKeyInfo, RAW_PREFIX, sessionId, type SessionRef } from '../../core/layout.js';
import { mapLimit } from '../../core/map-limit.js';
import type { ObjectStore } from '../../core/ports.js';
import { readRevisionState } from '../../core/session/revision-state.js';
import type { RevisionPolicy, RevisionState } from '../../core/session/served-revision.js';

/** Sessions with a revision 2 or later, from one listing of the raw store, by id. */
export async function revisedSessions(raw: ObjectStore): Promise<SessionRef[]> {
  const out = new Map<string, SessionRef>();
  for (const o of await raw.list(RAW_PREFIX)) {
    const info = manifestKeyInfo(o.key);
    if (info && info.revision > 1) out.set(sessionId(info.ref), info.ref);
  }
  return [...out.values()].sort((a, b) => sessionId(a).localeCompare(sessionId(b)));
}

/** The revision state of each session (sessions that are not committed are left out). */
export async function revisionStates(raw: ObjectStore, refs: SessionRef[], policy: RevisionPolicy): Promise<RevisionState[]> {
  const states = await mapLimit(refs, 8, async (ref) => {
    const s = await readRevisionState(raw, ref, policy);
    if (!s) return undefined;
    const { stored: _stored, ...state } = s;
    return state;
  });
  return states.filter((s): s is RevisionState => s !== undefined);
}
