/** Events of the commands on a workstation or the EC2 node: the CLI edge, the local stack, the web view, verify, pull. */
import { anything, arrayOf, bool, int, num, obj, opt, str } from '../shape.js';
import { event } from './declare.js';

const keyReason = obj({ key: str, reason: str });
const verdict = obj({ sessionId: str, revision: int, by: str });

export const TOOL_EVENTS = {
  commandFailed: event(
    'command.failed',
    'error',
    'a command ended with a RecpipeError (exit code by its code)',
    obj({ code: str, message: str, details: anything }),
  ),
  commandCrashed: event('command.crashed', 'error', 'a command ended with an unexpected error (a bug)', obj({ error: anything })),
  demoFailed: event(
    'demo.failed',
    'error',
    '`recpipe demo` found a step that did not do what it says',
    obj({ checks: arrayOf(obj({ step: str, ok: bool, detail: str })) }),
  ),
  localUp: event('local.up', 'info', 'the embedded stack is ready', obj({ api: str, s3: str, dataDir: str })),
  localDown: event('local.down', 'info', 'the embedded stack stopped'),
  localCloseFailed: event('local.close_failed', 'warn', 'a part of the embedded stack failed to stop', obj({ error: anything })),
  localLeftoversCleared: event(
    'local.leftovers_cleared',
    'warn',
    'the gateway cleared what a killed run left behind',
    obj({ orphanObjects: int, partialObjects: int, spoolFiles: int, strayParts: int, expiredUploads: int }),
  ),
  uiCrashed: event('ui.crashed', 'error', 'the web view failed to start or serve', obj({ error: anything })),
  uiOpenFailed: event('ui.open_failed', 'info', 'no browser could be opened (the URL is printed)', obj({ error: str })),
  uiRequestFailed: event('ui.request_failed', ['info', 'error'], 'a page of the web view failed (info: a bad request)', obj({ path: str, error: anything })),
  verifyReport: event(
    'verify.report',
    ['info', 'error'],
    'the audit of the stores (error: it found gaps)',
    obj({ clean: bool, counts: anything, inFlight: int }),
  ),
  verifyPulled: event('verify.pulled', ['info', 'error'], 'the check of a pulled folder (error: problems)', obj({ dir: str, files: int, problems: int })),
  revisionsAccepted: event('revisions.accepted', 'info', 'a person accepted a held revision', verdict),
  revisionsRejected: event('revisions.rejected', 'info', 'a person rejected a held revision', verdict),
  pullRetry: event(
    'pull.retry',
    'warn',
    'a download (or one range of it) failed and is tried again',
    obj({ key: str, attempt: opt(int), waitMs: opt(num), from: opt(int), range: opt(str), error: str }),
  ),
  pullResume: event('pull.resume', 'info', 'an interrupted download resumes inside the file', obj({ key: str, rangesDone: int, ranges: int })),
  pullResumeDiscarded: event('pull.resume_discarded', 'warn', 'a partial download is not trusted and starts over', keyReason),
  pullRawGetFallback: event('pull.raw_get_fallback', 'debug', 'a download goes through the SDK instead of the raw GET path', keyReason),
  pullIntegrity: event('pull.integrity', 'error', 'a downloaded file hashed to other bytes than the index says', obj({ key: str, message: str })),
  pullLeftoversRemoved: event('pull.leftovers_removed', 'info', 'partial files of an earlier pull were removed', obj({ files: arrayOf(str) })),
  pullConnectionsReused: event('pull.connections_reused', 'debug', 'requests that reused a kept-alive connection', obj({ requests: int })),
} as const;
