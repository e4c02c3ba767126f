/** Events of processing (the function, the container job, the local consumer) and of snapshots' pins. */
import { arrayOf, int, num, obj, oneOf, opt, str } from '../shape.js';
import { event } from './declare.js';

const failure = obj({ attempt: int, error: str, integrity: opt(arrayOf(str)) });
const error = obj({ error: str });

export const PROCESS_EVENTS = {
  processStarted: event('process.started', 'info', 'a processing attempt claimed its ledger entry', obj({ attempt: int })),
  processTakeover: event(
    'process.takeover',
    'warn',
    'an attempt took over a running entry whose holder is gone or whose lease ran out',
    obj({ deadHolder: opt(str) }),
  ),
  processDone: event(
    'process.done',
    ['info', 'warn'],
    'an attempt finished (warn: it left input bytes out)',
    obj({ outputs: int, dropped: opt(arrayOf(obj({ file: str, bytes: int, reason: str }))), undecoded: opt(arrayOf(str)) }),
  ),
  /** A processing attempt failed and will be retried. */
  processFailed: event('process.failed', 'error', 'an attempt failed; it will be retried', failure),
  /** A session ran out of attempts (the DeadSessions alarm). */
  processDead: event('process.dead', 'error', 'a session ran out of attempts (the DeadSessions alarm)', failure),
  /** A session's manifest lists files the store does not hold yet, or that hash to other bytes. */
  processIncomplete: event('process.incomplete', 'error', 'the manifest lists files the store does not hold (or holds other bytes for)', failure),
  processLedgerDamaged: event('process.ledger_damaged', 'warn', 'a forced run writes again over a ledger entry that could not be read', error),
  processAbandoned: event('process.abandoned', 'warn', 'an attempt stopped because it lost its lease', error),
  processLedgerWriteFailed: event('process.ledger_write_failed', 'error', 'the failed state of an attempt could not be written to the ledger', error),
  processLeaseRenewed: event('process.lease_renewed', 'debug', 'a running attempt extended its lease', obj({ until: opt(str) })),
  processLeaseRenewFailed: event('process.lease_renew_failed', 'warn', 'a lease renewal failed (retried until the lease is lost)', error),
  processLeaseLost: event('process.lease_lost', 'warn', 'another worker holds the entry now: this attempt stops writing'),
  /** A session too big for the function was handed to the container path. */
  processRouted: event(
    'process.routed',
    'info',
    'the compute path chosen for a session, with the numbers behind it',
    obj({ sessionId: str, path: oneOf('function', 'container'), predictedSec: num, timeoutSec: num, reason: str }),
  ),
  processCrashed: event(
    'process.crashed',
    'error',
    'an attempt of the local consumer threw (a bug); the session is swept again on start',
    obj({ sessionId: str, error: str }),
  ),
  processSweepFailed: event('process.sweep_failed', 'error', "the local consumer's start-up sweep failed", error),
  processRecordFailed: event(
    'process.record_failed',
    'error',
    'an SQS record of the process function failed (it comes back)',
    obj({ messageId: str, error: str }),
  ),
  snapshotOutputKept: event(
    'snapshot.output_kept',
    'info',
    'a pinned output was copied to processed/_kept/ before being replaced',
    obj({ key: str, kept: str }),
  ),
  snapshotKeepFailed: event(
    'snapshot.keep_failed',
    'error',
    'a pinned output could not be kept (its key holds other bytes, or none)',
    obj({ key: str, sha256: str, error: str }),
  ),
  snapshotPinDamaged: event(
    'snapshot.pin_damaged',
    'error',
    'a snapshot pin could not be read: its outputs are not kept by this run, and processing goes on',
    obj({ key: str, error: str }),
  ),
} as const;
