/**
 * POST /v1/events: a rig's log events, forwarded to the client-event log with the token's rig and
 * the event's session as correlation id. Only the events declared in core/events/rig-events.ts are
 * taken, each at a declared level with its declared data; anything else is a 400 naming the event
 * and the field. At most 100 per call; oversized events are cut down, not dropped, so one huge
 * event cannot make a client lose the rest of its batch forever.
 *
 * Each rig has a budget (deps.eventBudget, per API instance): events past it are dropped and
 * counted in the answer, so a flood from one key cannot fill the client-event log, and never
 * reaches the server's own log (issue 26: 80 requests rotated away every audit line). A rig's own
 * traffic (a heartbeat a minute, a few lines per session) stays far below it.
 */
import type { ClientEvent, EventsResponse } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { RIG_EVENTS, rigEventSpec } from '../../core/events/rig-events.js';
import type { HandlerContext } from './context.js';
import { bad, object } from './schema.js';

export const MAX_EVENTS = 100;
export const MAX_EVENT_BYTES = 8 * 1024;
/**
 * Per rig and API instance: 2,000 events or 1 MiB at once, then 200 events and 64 KiB a minute
 * (about 90 MiB a day at most; a rig's heartbeat and session events are about 1 KiB a minute).
 */
export const DEFAULT_EVENT_BUDGET = { events: { capacity: 2_000, perMinute: 200 }, bytes: { capacity: 1024 * 1024, perMinute: 64 * 1024 } };
const RIG_EVENT_NAMES = Object.values(RIG_EVENTS)
  .map((s) => s.name)
  .join(', ');
/** `[<rig>/]<YYYYMMDD_HHMMSS>`: a rig name (core/names.ts) and a session folder's shape, nothing else. */
const EVENT_SESSION_ID = /^(?:([a-z0-9][a-z0-9-]{0,62})\/)?(\d{8}_\d{6})$/;

export async function events(ctx: HandlerContext, raw: unknown): Promise<EventsResponse> {
  const list = object(raw).events;
  if (!Array.isArray(list) || list.length > MAX_EVENTS) throw bad('events', `must be an array of at most ${MAX_EVENTS} events`);
  const parsed = list.map((e, i) => parseEvent(e, i, ctx.rig));
  const log = ctx.deps.cloudLog.child({ rig: ctx.rig, source: 'client' });
  const now = ctx.deps.clock.now().getTime();
  let accepted = 0;
  for (const e of parsed) {
    if (!ctx.deps.eventBudget.take(ctx.rig, Buffer.byteLength(JSON.stringify(e)), now)) break;
    log.log(e.level, `client.${e.event}`, { sessionId: e.sessionId, clientTime: e.time, message: e.message, data: e.data });
    accepted++;
  }
  const dropped = parsed.length - accepted;
  if (dropped === 0) return { accepted };
  ctx.logger.log('warn', 'api.events.over_budget', { accepted, dropped });
  return { accepted, dropped };
}

function parseEvent(value: unknown, i: number, rig: string): ClientEvent {
  const at = `events[${i}]`;
  const e = object(value, at);
  const spec = rigEventSpec(e.event);
  if (!spec) throw bad(`${at}.event`, `is not an event rigs send (${RIG_EVENT_NAMES})`, e.event);
  const problem = spec.problem(e, at);
  if (problem) {
    throw new RecpipeError('usage', `invalid request: ${problem}`, {
      hint: `send ${spec.name} as declared in src/core/events/rig-events.ts (level ${spec.levels.join(' or ')})`,
    });
  }
  // Rebuilt from the declared fields only: nothing else the client sent travels on.
  const c = e as unknown as ClientEvent;
  const out = { time: c.time, level: c.level, event: c.event, data: c.data } as ClientEvent;
  const sessionId = sessionOf(e.sessionId, i, rig);
  if (sessionId !== undefined) out.sessionId = sessionId;
  if (c.message !== undefined) out.message = c.message;
  if (Buffer.byteLength(JSON.stringify(out)) > MAX_EVENT_BYTES) {
    out.message = out.message?.slice(0, 1024);
    // Cut down, not refused: the name, level and session still reach the log (and the web view).
    (out as { data: unknown }).data = { truncated: true };
  }
  return out;
}

/**
 * `<rig>/<session>` of the caller's rig; a bare session name is prefixed with the rig. The whole id
 * is checked, not a prefix: `rig-a/../rig-b/20210228_161221` is refused. A session part only needs
 * the folder shape (YYYYMMDD_HHMMSS): a rig reports folders with impossible dates as invalid, and
 * those events must still arrive.
 */
function sessionOf(value: unknown, i: number, rig: string): string | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? EVENT_SESSION_ID.exec(value) : null;
  if (!m) throw bad(`events[${i}].sessionId`, 'must be a session id like "rig-01/20210228_161221" or a session name', value);
  const [, owner, session] = m;
  if (owner !== undefined && owner !== rig) {
    throw new RecpipeError('forbidden', `event sessionId ${JSON.stringify(value)} belongs to another rig than ${rig}`, {
      hint: 'send events for your own sessions only',
    });
  }
  return `${rig}/${session}`;
}
