/**
 * The rig daemon's spool of client events on their way to the cloud log, safe against a process
 * that dies at any instruction (kill -9, power loss of the process, OOM).
 *
 * Three files under the daemon's folder, none ever overwritten:
 * - `events.jsonl`: new events, appended one JSON line each;
 * - `events.jsonl.sending`: the batch being shipped. It is created only by renaming
 *   `events.jsonl` while no `.sending` exists, and removed only once all of it reached the API;
 * - `events.jsonl.sent`: how far the `.sending` batch got, one line ("<count>") appended after
 *   each chunk the API accepted; removed after `.sending`;
 * - `events.jsonl.refused`: events the API refused as malformed (400: a name or data this API
 *   version does not declare, core/events/rig-events.ts), appended and kept for a person, so one
 *   such event cannot hold back every later one (heartbeats included) forever.
 * A flush first finishes a `.sending` left by a failed send or a crash, from where `.sent` says,
 * then ships `events.jsonl` the same way. Delivery is at least once: a crash between a chunk's
 * acceptance and its `.sent` line sends that chunk (at most 100 events) again. A line torn by a
 * crash mid-append is ended on start and skipped when read, so it cannot glue itself to the next
 * event or block the spool. A chunk the API refuses as malformed is sent again one event at a
 * time, and the events refused alone go to `.refused` (a crash there may list one twice).
 */
import { appendFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientEvent } from '../../core/api.js';
import { isRecpipeError } from '../../core/errors.js';

/** Events per request to the API's events endpoint. */
export const SPOOL_CHUNK = 100;

/** Client events are appended to a spool first, then shipped; a failed or interrupted shipment keeps them. */
export class EventSpool {
  private readonly path: string;
  private readonly sending: string;
  private readonly sent: string;
  private readonly refused: string;
  private recovered: Promise<void> | undefined;

  constructor(private readonly dir: string) {
    this.path = join(dir, 'events.jsonl');
    this.sending = `${this.path}.sending`;
    this.sent = `${this.path}.sent`;
    this.refused = `${this.path}.refused`;
  }

  async add(e: ClientEvent): Promise<void> {
    await this.recover();
    await appendFile(this.path, JSON.stringify(e) + '\n');
  }

  /** Ships every spooled event, oldest first; resolves with how many were sent. */
  async flush(send: (events: ClientEvent[]) => Promise<void>): Promise<number> {
    await this.recover();
    let total = 0;
    // At most two rounds: what an earlier run left in `.sending`, then `events.jsonl`.
    for (let round = 0; round < 2; round++) {
      if (!(await exists(this.sending))) {
        // A `.sent` without its `.sending` is from a batch that finished: it must not skip the next one.
        await rm(this.sent, { force: true });
        if (!(await hasContent(this.path))) break;
        await rename(this.path, this.sending);
      }
      total += await this.shipSending(send);
    }
    return total;
  }

  /** Sends what `.sending` holds past its `.sent` count, then removes both. */
  private async shipSending(send: (events: ClientEvent[]) => Promise<void>): Promise<number> {
    const events = parseLines(await readFile(this.sending, 'utf8'));
    const done = sumLines(await readFile(this.sent, 'utf8').catch(() => ''));
    let shipped = 0;
    for (let i = done; i < events.length; i += SPOOL_CHUNK) {
      const chunk = events.slice(i, i + SPOOL_CHUNK);
      try {
        await send(chunk);
      } catch (e) {
        if (!refusedAsMalformed(e)) throw e;
        // Which event is it? One at a time, recording each as it goes, so a crash resumes here.
        for (const one of chunk) {
          if (await sendOrRefuse(send, one)) shipped++;
          else await appendFile(this.refused, JSON.stringify(one) + '\n');
          await appendFile(this.sent, '1\n');
        }
        continue;
      }
      await appendFile(this.sent, `${chunk.length}\n`);
      shipped += chunk.length;
    }
    await rm(this.sending, { force: true });
    await rm(this.sent, { force: true });
    return shipped;
  }

  /** Once per process: ends a line a crash left unterminated, so the next append starts a line of its own. */
  private recover(): Promise<void> {
    return (this.recovered ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      const f = await open(this.path, 'r').catch(() => undefined);
      if (!f) return;
      try {
        const { size } = await f.stat();
        if (size === 0) return;
        const last = Buffer.alloc(1);
        await f.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) await appendFile(this.path, '\n');
      } finally {
        await f.close();
      }
    })());
  }
}

/** Whether the API refused a send as malformed (a 400): sending it again as it is cannot help. */
const refusedAsMalformed = (e: unknown) => isRecpipeError(e) && e.code === 'usage' && !e.retryable;

/** Sends one event: true when accepted, false when refused as malformed (anything else throws). */
async function sendOrRefuse(send: (events: ClientEvent[]) => Promise<void>, e: ClientEvent): Promise<boolean> {
  try {
    await send([e]);
    return true;
  } catch (err) {
    if (refusedAsMalformed(err)) return false;
    throw err;
  }
}

/**
 * The events of a spool file; a line that is not a whole JSON event (torn by a crash) is skipped.
 * Whole events are not checked against their declarations here: the API judges them, and what it
 * refuses is kept in `.refused`, never dropped unseen.
 */
function parseLines(text: string): ClientEvent[] {
  const out: ClientEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as unknown;
      if (e && typeof e === 'object' && typeof (e as ClientEvent).event === 'string') out.push(e as ClientEvent);
    } catch {
      // Torn by a crash mid-append: the event was never fully spooled.
    }
  }
  return out;
}

function sumLines(text: string): number {
  return text
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .reduce((n, l) => n + Number(l), 0);
}

const sizeOf = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => undefined,
  );
const exists = async (path: string) => (await sizeOf(path)) !== undefined;
const hasContent = async (path: string) => ((await sizeOf(path)) ?? 0) > 0;
