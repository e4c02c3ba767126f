/**
 * The registry of log events: every event any part of recpipe logs is declared once here (by
 * area, in core/events/), with its name, the level(s) it is logged at and the shape of its
 * fields. `Logger.log` accepts only a declared name with its declared fields (core/ports.ts), the
 * API accepts only the rig events declared in core/events/rig-events.ts, and the alarms' metric
 * filters (src/infra/monitoring.ts) read their names from here: a renamed event changes the alarm
 * with it, and test/infra/stack.test.ts and test/unit/core/events.test.ts pin the names the alarms
 * and docs/operations.md rely on.
 */
import type { LedgerState } from './catalog/types.js';
import { BACKEND_EVENTS } from './events/backend-events.js';
import type { EventSpec } from './events/declare.js';
import { PROCESS_EVENTS } from './events/process-events.js';
import { RIG_EVENTS } from './events/rig-events.js';
import { TOOL_EVENTS } from './events/tool-events.js';
import { UPLOAD_EVENTS } from './events/upload-events.js';

type Rig = typeof RIG_EVENTS;
const entries = Object.entries(RIG_EVENTS);
/** The daemon's own lines of the events it ships (same names). */
const RIG_LOCAL = Object.fromEntries(entries.map(([k, s]) => [k, s.local])) as { [K in keyof Rig]: Rig[K]['local'] };
/** The API's lines of the events rigs ship (`client.<name>`). */
const RIG_FORWARDED = Object.fromEntries(entries.map(([k, s]) => [`client${k[0].toUpperCase()}${k.slice(1)}`, s.forwarded])) as {
  [K in keyof Rig as `client${Capitalize<K>}`]: Rig[K]['forwarded'];
};

/** Every declared event. */
export const EVENTS = { ...BACKEND_EVENTS, ...PROCESS_EVENTS, ...UPLOAD_EVENTS, ...TOOL_EVENTS, ...RIG_LOCAL, ...RIG_FORWARDED } as const;

type AnySpec = (typeof EVENTS)[keyof typeof EVENTS];
/** One declared event name. */
export type EventName = AnySpec['name'];
type SpecOf<N extends EventName> = Extract<AnySpec, { name: N }>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any declared level list
type FieldsOfSpec<S> = S extends EventSpec<string, infer F, any> ? F : never;
/** The fields event N is declared with. */
export type EventFields<N extends EventName> = FieldsOfSpec<SpecOf<N>>;
/** The levels event N is declared at. */
export type EventLevel<N extends EventName> = SpecOf<N>['levels'][number];
/** `Logger.log`'s fields argument for N: optional only when N declares no required field. */
export type EventFieldsArg<N extends EventName> = Record<string, never> extends EventFields<N> ? [fields?: EventFields<N>] : [fields: EventFields<N>];

/** Every declared name, for checks. */
export const EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(EVENTS).map((s) => s.name));

/** The declaration of a name, when it is declared. */
export function eventSpec(name: unknown): AnySpec | undefined {
  return Object.values(EVENTS).find((s) => s.name === name);
}

/** The ledger states a failed processing attempt can end in. */
export type EndState = Extract<LedgerState, 'failed' | 'dead' | 'incomplete'>;

/**
 * The event logged when an attempt ends in `state`. A renamed ledger state no longer type-checks
 * here, and the alarm keeps its name.
 */
export const PROCESS_END_EVENTS = {
  failed: EVENTS.processFailed.name,
  dead: EVENTS.processDead.name,
  incomplete: EVENTS.processIncomplete.name,
} as const satisfies Readonly<Record<EndState, EventName>>;

/**
 * What the audit log keeps (adapters/log/log-files.ts): changes to keys and to the raw store. Each
 * takes an admin's action or a charge to a rig's quota, so no client can grow the audit log at will
 * or push these lines out of it with volume (issue 26). A repeated commit of a committed session
 * changes nothing and can be sent at will: it stays in the main log only.
 */
export const AUDIT_EVENTS: ReadonlySet<string> = new Set([
  EVENTS.keysCreated.name,
  EVENTS.keysRevoked.name,
  EVENTS.apiCommit.name,
  EVENTS.multipartStarted.name,
  EVENTS.multipartCompleted.name,
]);

/** Whether a log line with this event and fields belongs in the audit log. */
export function isAuditLine(event: unknown, fields: Record<string, unknown>): boolean {
  return typeof event === 'string' && AUDIT_EVENTS.has(event) && (event !== EVENTS.apiCommit.name || fields.status === 'committed');
}
