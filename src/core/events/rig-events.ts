/**
 * The events a rig's watch daemon ships to the cloud log (POST /v1/events), declared once for all
 * three ends: the daemon builds them from these declarations, the API refuses a name not declared
 * here or an event that does not fit its declaration (400), and the web view folds the lines the
 * API wrote (`client.<name>`) by the same names. Each declaration also gives the line the daemon
 * writes to its own log (`local`) and the line the API writes (`forwarded`), both in EVENTS.
 *
 * Unknown fields in `data` are let through (a newer rig may add some); a new event name needs the
 * API to know it first, so deploy the API before the rigs.
 */
import type { LogLevel } from '../ports.js';
import { anything, arrayOf, both, int, matching, obj, oneOf, opt, str, type Infer, type Shape } from '../shape.js';
import { event, type EventSpec } from './declare.js';

/** One shipped event as it travels and is spooled. */
export interface ClientEventOf<N extends string, D extends object, L extends LogLevel> {
  /** The rig's clock, ISO-8601. */
  time: string;
  level: L;
  event: N;
  /** `<rig>/<session>`, or the bare session name (the API prefixes the token's rig). */
  sessionId?: string;
  message?: string;
  data: D;
}

/** What the daemon's own log line of a shipped event carries, besides the event's data. */
const LOCAL = obj({ sessionId: opt(str), session: opt(str), message: str });
/** What the API's line of a shipped event carries (besides the token's `rig` and `source: client`). */
const FORWARDED = obj({ sessionId: opt(str), clientTime: str, message: opt(str), data: anything });
type Forwarded = Infer<typeof FORWARDED>;
const TIME = matching(/^[^\n]{1,40}$/, 'an ISO-8601 time of at most 40 characters');

export interface RigEventSpec<N extends string, D extends object, L extends LogLevel> {
  readonly name: N;
  readonly levels: readonly L[];
  readonly description: string;
  /** The event's `data`. */
  readonly data: Shape<D>;
  /** What is wrong with `e` as this event (naming the path under `at`), or undefined when it fits. */
  problem(e: unknown, at: string): string | undefined;
  /** Whether `e` is this event: envelope, a declared level and its data (the maker as a type guard). */
  is(e: unknown): e is ClientEventOf<N, D, L>;
  /** The daemon's own log line. */
  readonly local: EventSpec<N, Infer<typeof LOCAL> & D, L>;
  /** The API's log line, `client.<name>`. */
  readonly forwarded: EventSpec<`client.${N}`, Forwarded, L>;
}

function rigEvent<const N extends string, L extends LogLevel, D extends object>(
  name: N,
  level: L | readonly L[],
  description: string,
  data: Shape<D>,
): RigEventSpec<N, D, L> {
  const levels: readonly L[] = typeof level === 'string' ? [level] : level;
  const envelope = obj({ time: TIME, level: oneOf(...levels), event: oneOf(name), sessionId: opt(str), message: opt(str), data });
  return {
    name,
    levels,
    description,
    data,
    problem: (e, at) => envelope.check(e, at),
    is: (e): e is ClientEventOf<N, D, L> => envelope.check(e, '') === undefined,
    local: event(name, levels, description, both(LOCAL, data)),
    forwarded: event(`client.${name}`, levels, `${description} (the API's line)`, FORWARDED),
  };
}

const session = obj({ session: str });

/** Every event a rig ships. */
export const RIG_EVENTS = {
  heartbeat: rigEvent('rig.heartbeat', 'info', 'the daemon is alive (once a minute), with how many sessions it has queued', obj({ queued: int })),
  sessionReady: rigEvent('session.ready', 'info', 'a session folder is complete and valid: queued for upload', session),
  sessionInvalid: rigEvent('session.invalid', 'warn', 'a session folder is invalid and left as it is (said once)', session),
  sessionWarning: rigEvent('session.warning', 'warn', 'a session is archived as recorded, with content warnings', session),
  sessionUploaded: rigEvent('session.uploaded', 'info', 'a session was uploaded and committed (or found committed)', session),
  sessionRevised: rigEvent(
    'session.revised',
    ['info', 'warn'],
    'content written after the commit was archived as a new revision (warn: held for review)',
    obj({ session: str, revision: opt(int), changesArchived: opt(arrayOf(str)) }),
  ),
  sessionFailed: rigEvent('session.failed', 'error', "a session's upload failed for good in this run", obj({ session: str, code: str })),
  sessionGone: rigEvent('session.gone', 'info', 'a folder the cloud view listed as waiting, invalid or failed is no longer under the root', session),
} as const;

type RigSpec = (typeof RIG_EVENTS)[keyof typeof RIG_EVENTS];
/** The name of a shipped event. */
export type RigEventName = RigSpec['name'];
type SpecOf<N extends RigEventName> = Extract<RigSpec, { name: N }>;
/** The `data` of a shipped event. */
export type RigDataOf<N extends RigEventName> = Infer<SpecOf<N>['data']>;
/** The levels a shipped event is declared at. */
export type RigLevelOf<N extends RigEventName> = SpecOf<N>['levels'][number];

/** A shipped event, any of the declared ones. */
export type ClientEvent = { [N in RigEventName]: ClientEventOf<N, RigDataOf<N>, RigLevelOf<N>> }[RigEventName];

const BY_NAME: ReadonlyMap<string, RigSpec> = new Map(Object.values(RIG_EVENTS).map((s) => [s.name, s]));

/** The declaration of a shipped event named `name`, or undefined when no event has that name. */
export function rigEventSpec(name: unknown): RigSpec | undefined {
  return typeof name === 'string' ? BY_NAME.get(name) : undefined;
}

/** Whether `e` is one of the declared shipped events, fitting its declaration. */
export function isClientEvent(e: unknown): e is ClientEvent {
  return rigEventSpec((e as { event?: unknown } | null)?.event)?.is(e) ?? false;
}

/** The shipped event a line of the API's log records, when it is one (`client.<declared name>`). */
export function forwardedRigEvent(line: unknown): { spec: RigSpec; fields: Forwarded & { event: string } } | undefined {
  const name = (line as { event?: unknown } | null)?.event;
  if (typeof name !== 'string' || !name.startsWith('client.')) return undefined;
  const spec = rigEventSpec(name.slice('client.'.length));
  return spec?.forwarded.is(line) ? { spec, fields: line } : undefined;
}
