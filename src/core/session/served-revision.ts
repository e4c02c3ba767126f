/**
 * Which revision of a session is served: the one rule the catalog, processing, `pull`, `verify`,
 * `status` and the web view follow (pure; revision-state.ts reads its inputs from the store).
 *
 * Revision 1 (the first commit) is served. Each later revision, in order, is compared with the
 * revision served before it:
 * - a person's decision wins: `accept` makes it served, `reject` leaves it archived, not served;
 * - otherwise a revision that keeps every served file's bytes (it only adds files) is accepted
 *   automatically, as is any revision when the lab's policy is `all`;
 * - otherwise it is *held*: archived, listed by `verify`, `status` and the web view, and not
 *   served until a person accepts it.
 * A held revision followed by a later served one is `superseded` (nothing left to decide).
 */
import type { Decision } from './decision.js';
import type { Manifest } from './manifest-types.js';

/** The lab's policy for revisions that change archived bytes: hold them (default) or accept them. */
export type RevisionPolicy = 'additive' | 'all';

export type RevisionStatus = 'first' | 'auto_accepted' | 'accepted' | 'held' | 'rejected' | 'superseded';

/** One committed revision as the rule needs it. */
export interface RevisionInput {
  revision: number;
  manifest: Manifest;
  /** SHA-256 of the manifest's stored bytes. */
  sha256: string;
  /** When it was committed (ISO-8601), when known. */
  committedAt?: string;
}

/** A file whose bytes a revision changes, with both hashes. */
export interface ChangedFile {
  name: string;
  before: { size: number; sha256: string };
  after: { size: number; sha256: string };
}

export interface RevisionView {
  revision: number;
  status: RevisionStatus;
  manifestSha256: string;
  committedAt?: string;
  /** The revision it was compared with (the one served before it); absent for revision 1. */
  comparedWith?: number;
  /** Files of the compared revision whose bytes this one changes. */
  changed: ChangedFile[];
  /** Files this revision adds. */
  added: string[];
  /** Whether the metadata variables differ from the compared revision's. */
  variablesChanged: boolean;
  decision?: Decision;
}

export interface RevisionState {
  sessionId: string;
  /** The revision the catalog, processing and pull use. */
  served: number;
  newest: number;
  revisions: RevisionView[];
  /** Revisions waiting for a person, ascending. */
  held: number[];
}

/** Files of `base` whose size or SHA-256 `next` changes (files `next` lacks are carried over, never dropped). */
export function changedFiles(base: Manifest, next: Manifest): ChangedFile[] {
  const now = new Map(next.files.map((f) => [f.name, f]));
  return base.files
    .filter((f) => now.has(f.name) && (now.get(f.name)!.size !== f.size || now.get(f.name)!.sha256 !== f.sha256))
    .map((f) => {
      const n = now.get(f.name)!;
      return { name: f.name, before: { size: f.size, sha256: f.sha256 }, after: { size: n.size, sha256: n.sha256 } };
    });
}

const sorted = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const sameVariables = (a: Manifest, b: Manifest) =>
  a.metadataFile === b.metadataFile && sorted(a.variables.numeric) === sorted(b.variables.numeric) && sorted(a.variables.text) === sorted(b.variables.text);

/**
 * Resolves every revision's status and the served one. `revisions` must start with revision 1 and
 * be ascending; a decision whose manifest SHA-256 is not the revision's is ignored.
 */
export function resolveRevisions(
  sessionId: string,
  revisions: RevisionInput[],
  decisions: ReadonlyMap<number, Decision>,
  policy: RevisionPolicy,
): RevisionState {
  const [first, ...later] = revisions;
  let served = first;
  const views: RevisionView[] = [
    {
      revision: first.revision,
      status: 'first',
      manifestSha256: first.sha256,
      committedAt: first.committedAt,
      changed: [],
      added: [],
      variablesChanged: false,
    },
  ];
  for (const r of later) {
    const decision = decisions.get(r.revision);
    const valid = decision && decision.manifestSha256 === r.sha256 ? decision : undefined;
    const changed = changedFiles(served.manifest, r.manifest);
    const have = new Set(served.manifest.files.map((f) => f.name));
    const added = r.manifest.files.filter((f) => !have.has(f.name)).map((f) => f.name);
    const variablesChanged = !sameVariables(served.manifest, r.manifest);
    const additive = changed.length === 0 && !variablesChanged;
    const status: RevisionStatus =
      valid?.decision === 'accept' ? 'accepted' : valid?.decision === 'reject' ? 'rejected' : additive || policy === 'all' ? 'auto_accepted' : 'held';
    views.push({
      revision: r.revision,
      status,
      manifestSha256: r.sha256,
      committedAt: r.committedAt,
      comparedWith: served.revision,
      changed,
      added,
      variablesChanged,
      ...(decision ? { decision } : {}),
    });
    if (status === 'accepted' || status === 'auto_accepted') served = r;
  }
  for (const v of views) if (v.status === 'held' && v.revision < served.revision) v.status = 'superseded';
  return {
    sessionId,
    served: served.revision,
    newest: revisions[revisions.length - 1].revision,
    revisions: views,
    held: views.filter((v) => v.status === 'held').map((v) => v.revision),
  };
}
