/** Events of the API (src/backend) and of `recpipe keys`: requests, commits, quota, key changes. */
import { anything, int, num, obj, oneOf, opt, str } from '../shape.js';
import { event } from './declare.js';

const multipart = obj({ key: str, parts: int, sessionId: str });

export const BACKEND_EVENTS = {
  apiRequest: event(
    'api.request',
    ['info', 'error'],
    'one API request answered (error for a 5xx)',
    obj({ method: opt(str), route: str, status: int, rig: opt(str), ms: num }),
  ),
  apiCrashed: event('api.crashed', 'error', 'a handler threw something that is not a RecpipeError (a bug): answered 500', obj({ route: str, error: anything })),
  /** The NoUploads alarm counts these; a first commit goes to the audit log. */
  apiCommit: event(
    'api.commit',
    'info',
    'a session (or revision) was committed, or found already committed',
    obj({ sessionId: str, status: oneOf('committed', 'already_committed'), files: int, bytes: int, abortedUploads: opt(int) }),
  ),
  apiCommitUploadsNotClosed: event(
    'api.commit.uploads_not_closed',
    'warn',
    "the commit stood, but the session's open multipart uploads could not all be aborted after it (verify's stale_upload names any left)",
    obj({ sessionId: str, error: str }),
  ),
  apiBatchSigned: event(
    'api.batch.signed',
    'info',
    'one batch of upload URLs signed for a session',
    obj({ sessionId: str, files: int, puts: int, starts: int, parts: int, completes: int }),
  ),
  /** A rig started a multipart upload (charged one object of its quota); audit log. */
  multipartStarted: event('api.multipart.started', 'info', 'a rig started a multipart upload (one object of its quota)', obj({ key: str, sessionId: str })),
  /** Audit log. */
  multipartCompleted: event('api.multipart.completed', 'info', 'a multipart upload was assembled into a raw object', multipart),
  multipartAlreadyCompleted: event('api.multipart.already_completed', 'info', 'a completion repeated for an object already assembled', multipart),
  eventsOverBudget: event('api.events.over_budget', 'warn', "a rig's events past its event budget were dropped", obj({ accepted: int, dropped: int })),
  /** A raw-byte charge with the rig's running total for the day (the RigBytesToday metrics read `rigBytesToday`). */
  quotaCharged: event(
    'api.quota.charged',
    'info',
    "raw bytes charged to a rig's daily quota, with its running total",
    obj({ key: str, bytes: int, day: str, rigBytesToday: int, rigObjectsToday: int }),
  ),
  quotaFileDamaged: event(
    'api.quota.file_damaged',
    'warn',
    "the local quota counters file could not be read: the day's counters start again from zero, uploads go on",
    obj({ path: str, error: str }),
  ),
  quotaRefused: event(
    'api.quota.refused',
    'warn',
    "a signing request refused by the rig's file-size cap or daily quota",
    obj({ key: str, bytes: int, day: opt(str), reason: oneOf('file_too_large', 'daily_quota') }),
  ),
  /** Audit log. */
  keysCreated: event('keys.created', 'info', 'an admin enrolled a rig key (`recpipe keys create`)', obj({ id: str, rig: str, store: str })),
  /** Audit log. */
  keysRevoked: event('keys.revoked', 'info', 'an admin revoked a rig key', obj({ id: str, rig: str })),
} as const;
