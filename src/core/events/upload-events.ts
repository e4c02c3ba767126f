/**
 * Events of the rig's side that stay in its own log: the upload engine, its journal and retries,
 * the watch daemon's housekeeping, `recpipe check`. What the daemon ships to the cloud log is
 * declared in rig-events.ts.
 */
import { arrayOf, int, num, obj, opt, str } from '../shape.js';
import { event } from './declare.js';

const committed = obj({ files: int, bytes: int, bytesSent: int, manifestSha256: str, revision: int, batchCalls: int, ms: num });
const file = obj({ file: str });
const checked = obj({ dir: str, problems: arrayOf(str) });

export const UPLOAD_EVENTS = {
  uploadCommitted: event('upload.committed', 'info', 'a session was uploaded and committed', committed),
  uploadRevisionCommitted: event('upload.revision_committed', 'info', 'a revision of a committed session was uploaded and committed', committed),
  uploadAlreadyUploaded: event('upload.already_uploaded', 'info', 'the session (this revision) was committed before: nothing sent', obj({ revision: int })),
  uploadRevisionPlanned: event(
    'upload.revision_planned',
    'info',
    'content written after the commit will be a new revision',
    obj({ revision: int, files: arrayOf(str) }),
  ),
  uploadAdoptedRemote: event('upload.adopted_remote', 'warn', 'an object already at the key holds these bytes: kept, not sent again', file),
  uploadNewAttempt: event('upload.new_attempt', 'warn', 'the plain key holds other bytes: the file goes to an attempt key', obj({ file: str, attempt: str })),
  uploadPutAlreadyStored: event('upload.put_already_stored', 'warn', 'a PUT found its object already stored (a retry of a PUT that had landed)', file),
  uploadSlowDown: event('upload.slow_down', 'warn', 'the store said SlowDown: fewer parts in flight', obj({ partsInFlight: int })),
  uploadBatch: event('upload.batch', 'debug', 'one call for a batch of upload URLs', obj({ call: int, waited: num, files: str, ms: num })),
  uploadWarning: event('upload.warning', 'warn', '`recpipe upload` archives a session with a content warning', obj({ warning: str })),
  retry: event(
    'retry',
    'warn',
    'a call of the one retry policy failed and is tried again',
    obj({ what: str, attempt: int, retriesLeft: int, waitMs: num, error: str, code: str }),
  ),
  authKeptTokenRefused: event(
    'auth.kept_token_refused',
    'info',
    'the API refused a token kept from an earlier run: dropped, and the call made again with a fresh one',
    obj({ what: str }),
  ),
  journalIgnored: event('journal.ignored', 'warn', 'an upload journal of another folder, version or session is not trusted', obj({ path: str, reason: str })),
  journalUnreadable: event(
    'journal.unreadable',
    'warn',
    'an upload journal could not be read: the upload starts over (hashing again)',
    obj({ path: str, error: str }),
  ),
  sessionRetry: event(
    'session.retry',
    'warn',
    "the daemon will try a session's upload again after a backoff",
    obj({ session: str, attempts: int, waitMs: num, error: str }),
  ),
  eventsOffline: event('events.offline', 'debug', "the daemon's spooled events could not be shipped now (kept for the next beat)", obj({ error: str })),
  watchPriority: event('watch.priority', 'info', "the daemon's CPU and I/O priority", obj({ cpu: str, io: str })),
  watchPriorityFailed: event('watch.priority_failed', 'warn', 'the daemon could not lower its priority', obj({ what: str, error: str })),
  watchIoniceUnavailable: event('watch.ionice_unavailable', 'info', 'ionice is missing: I/O priority unchanged', obj({ hint: str })),
  watchHintsFailed: event('watch.hints_failed', 'warn', 'the file watcher failed: polling goes on', obj({ code: opt(str), message: str })),
  checkSessionValid: event('check.session_valid', 'info', '`recpipe check` found a session folder valid', checked),
  checkSessionInvalid: event('check.session_invalid', 'warn', '`recpipe check` found a session folder invalid', checked),
} as const;
