/**
 * The rigs' own view of their sessions, from the events the watch daemon ships through
 * POST /v1/events (`client.rig.heartbeat`, `client.session.ready|uploaded|invalid|failed`).
 * Locally those land in the stack's log file as JSON lines; this folds them per rig.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RigSummary } from './source.js';

export interface RigEvent {
  rig: string;
  event: string;
  /** The rig's clock when it happened, else the log's. */
  time: string;
  sessionId?: string;
}

/** Parses one log line; anything that is not a client event from a rig is skipped. */
export function parseRigEvent(line: string): RigEvent | undefined {
  if (!line.includes('"client.')) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o.event !== 'string' || !o.event.startsWith('client.') || typeof o.rig !== 'string') return undefined;
  const time = typeof o.clientTime === 'string' ? o.clientTime : typeof o.time === 'string' ? o.time : '';
  return { rig: o.rig, event: o.event.slice('client.'.length), time, sessionId: typeof o.sessionId === 'string' ? o.sessionId : undefined };
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
    if (e.event === 'rig.heartbeat') r.lastHeartbeat = LATER(r.lastHeartbeat, e.time);
    if (e.event === 'session.uploaded') r.lastUpload = LATER(r.lastUpload, e.time);
    if (e.sessionId && e.event.startsWith('session.')) latest.set(e.sessionId, e);
  }
  for (const [id, e] of latest) {
    const r = rig(e.rig);
    if (e.event === 'session.ready') r.waiting.push(id);
    else if (e.event === 'session.invalid') r.invalid.push(id);
    else if (e.event === 'session.failed') r.failed.push(id);
  }
  for (const r of rigs.values()) for (const list of [r.waiting, r.invalid, r.failed]) list.sort();
  return rigs;
}
