/** What `upload` and `watch` say when a committed session's folder is archived as a new revision. */
import type { UploadResult } from './upload-session.js';

/**
 * One line: the revision archived and, when it changes bytes already archived, that it is held
 * for review and how a person accepts it (core/session/served-revision.ts).
 */
export function revisionNotice(r: Pick<UploadResult, 'sessionId' | 'revision' | 'changesArchived'>): string {
  const base = `session ${r.sessionId} revision ${r.revision} archived`;
  const changed = r.changesArchived ?? [];
  if (changed.length === 0) return `${base} (it adds files only: served at once)`;
  return `${base}, HELD for review: it changes archived bytes of ${changed.join(', ')}; processing and pull keep the earlier revision until a person runs \`recpipe revisions accept ${r.sessionId} ${r.revision}\` (unless the lab accepts such revisions automatically)`;
}
