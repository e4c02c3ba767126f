/**
 * The rigs' own view of their sessions, from the events the watch daemon ships through
 * POST /v1/events (`client.rig.heartbeat`, `client.session.ready|uploaded|invalid|failed`).
 * Locally those land in the stack's log file as JSON lines; this folds them per rig. Names and
 * line shapes come from the same declarations the daemon and the API use
 * (core/events/rig-events.ts), so a renamed event cannot leave this view silently empty.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { forwardedRigEvent, RIG_EVENTS, type RigEventName } from '../../core/events/rig-events.js';
import type { RigSummary } from './source.js';

export interface RigEvent {
  rig: string;
  event: RigEventName;
  /** The rig's clock when it happened, else the log's. */
  time: string;
  sessionId?: string;
}

/** Parses one log line; anything that is not a declared rig event forwarded by the API for a rig is skipped. */
export function parseRigEvent(line: string): RigEvent | undefined {
  if (!line.includes('"client.')) return undefined;
  let o: unknown;
  try {
    // A log line, not a stored record: lines of other shapes (or torn by a rotation) are skipped.
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  const found = forwardedRigEvent(o);
  const rig = (o as { rig?: unknown }).rig;
  if (!found || typeof rig !== 'string') return undefined;
  const { fields } = found;
  const time = fields.clientTime || (typeof (o as { time?: unknown }).time === 'string' ? (o as { time: string }).time : '');
  return { rig, event: found.spec.name, time, sessionId: fields.sessionId };
}

/** Reads every `recpipe*.log` in `dir` (rotated ones too); a missing folder means no events. */
export async function readRigEvents(dir: string): Promise<RigEvent[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: RigEvent[] = [];
  for (const name of names.filter((n) => /^recpipe.*\.log$/.test(n))) {
    const lines = createInterface({ input: createReadStream(join(dir, name)), crlfDelay: Infinity });
    for await (const line of lines) {
      const e = parseRigEvent(line);
      if (e) out.push(e);
    }
  }
  return out;
}

const LATER = (a?: string, b?: string) => (!a ? b : !b ? a : a > b ? a : b);

/** Per rig: last heartbeat, last upload, and sessions by their latest event's state. */
export function foldRigEvents(events: RigEvent[]): Map<string, RigSummary> {
  const rigs = new Map<string, RigSummary>();
  const latest = new Map<string, RigEvent>();
  const rig = (name: string) => {
    let r = rigs.get(name);
    if (!r) rigs.set(name, (r = { rig: name, waiting: [], invalid: [], failed: [], catalogued: 0 }));
    return r;
  };
  for (const e of [...events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))) {
    const r = rig(e.rig);
    if (e.event === RIG_EVENTS.heartbeat.name) r.lastHeartbeat = LATER(r.lastHeartbeat, e.time);
    if (e.event === RIG_EVENTS.sessionUploaded.name) r.lastUpload = LATER(r.lastUpload, e.time);
    if (e.sessionId && e.event !== RIG_EVENTS.heartbeat.name) latest.set(e.sessionId, e);
  }
  for (const [id, e] of latest) {
    const r = rig(e.rig);
    if (e.event === RIG_EVENTS.sessionReady.name) r.waiting.push(id);
    else if (e.event === RIG_EVENTS.sessionInvalid.name) r.invalid.push(id);
    else if (e.event === RIG_EVENTS.sessionFailed.name) r.failed.push(id);
  }
  for (const r of rigs.values()) for (const list of [r.waiting, r.invalid, r.failed]) list.sort();
  return rigs;
}
