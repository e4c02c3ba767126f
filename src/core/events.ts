/**
 * The log event names that something outside the process reads: CloudWatch metric filters and
 * alarms (src/infra/monitoring.ts) match them exactly, so they are constants here, imported by
 * the code that logs them and by the alarms. A name built at run time (`process.${state}`) could
 * change with a ledger state and silence an alarm with every test green; test/unit/core/events
 * pins that every filter's name is registered and that every ending state maps to one.
 */
import type { LedgerState } from './catalog/types.js';

/** Registered event names. Change one only together with the alarms and docs/operations.md. */
export const EVENTS = {
  /** A session was committed (the NoUploads alarm counts these). */
  apiCommit: 'api.commit',
  /** A raw-byte charge with the rig's running total for the day (RigBytesToday metrics). */
  quotaCharged: 'api.quota.charged',
  /** A signing request refused by the rig's file-size cap or daily quota. */
  quotaRefused: 'api.quota.refused',
  /** A processing attempt failed and will be retried. */
  processFailed: 'process.failed',
  /** A session ran out of attempts (the DeadSessions alarm). */
  processDead: 'process.dead',
  /** A session's manifest lists files the store does not hold yet. */
  processIncomplete: 'process.incomplete',
  /** An admin enrolled a rig key (`recpipe keys create`). */
  keysCreated: 'keys.created',
  /** An admin revoked a rig key. */
  keysRevoked: 'keys.revoked',
  /** A rig started a multipart upload (charged one object of its quota). */
  multipartStarted: 'api.multipart.started',
  /** A multipart upload was assembled into a raw object. */
  multipartCompleted: 'api.multipart.completed',
  /** A session too big for the function was handed to the container path. */
  processRouted: 'process.routed',
} as const;

/** One registered event name. */
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** Every registered name, for checks. */
export const EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(EVENTS));

/** The ledger states a failed processing attempt can end in. */
export type EndState = Extract<LedgerState, 'failed' | 'dead' | 'incomplete'>;

/**
 * The event logged when an attempt ends in `state`. A renamed ledger state no longer type-checks
 * here, and the alarm keeps its name.
 */
export const PROCESS_END_EVENTS: Readonly<Record<EndState, EventName>> = {
  failed: EVENTS.processFailed,
  dead: EVENTS.processDead,
  incomplete: EVENTS.processIncomplete,
};

/**
 * What the audit log keeps (adapters/log/log-files.ts): changes to keys and to the raw store. Each
 * takes an admin's action or a charge to a rig's quota, so no client can grow the audit log at will
 * or push these lines out of it with volume (issue 26). A repeated commit of a committed session
 * changes nothing and can be sent at will: it stays in the main log only.
 */
export const AUDIT_EVENTS: ReadonlySet<string> = new Set([
  EVENTS.keysCreated,
  EVENTS.keysRevoked,
  EVENTS.apiCommit,
  EVENTS.multipartStarted,
  EVENTS.multipartCompleted,
]);

/** Whether a log line with this event and fields belongs in the audit log. */
export function isAuditLine(event: unknown, fields: Record<string, unknown>): boolean {
  return typeof event === 'string' && AUDIT_EVENTS.has(event) && (event !== EVENTS.apiCommit || fields.status === 'committed');
}
