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
