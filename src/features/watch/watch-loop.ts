/**
 * The daemon's loop as an object: its state lives in fields, time comes from the injected
 * Clock, and each pause is one cancellable timer on its own AbortController. The caller's signal
 * gets one listener for the whole run (removed at the end), not one per poll: a rig daemon polls
 * every few seconds for months.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { messageOf } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import { isMetadataFileName } from '../../core/session/metadata.js';
import { observe, readiness, type Observation } from '../../core/watch/readiness.js';
import { isClientEvent, RIG_EVENTS, type ClientEvent, type RigDataOf, type RigEventName, type RigLevelOf } from '../../core/events/rig-events.js';
import { formatProblem, problemLine, validateSessionDir } from '../session/validate-session-dir.js';
import { PutTransport } from '../ingest/put-transport.js';
import { TokenSource } from '../ingest/token-source.js';
import type { WatchOptions } from './daemon.js';
import type { FolderView } from './folders.js';
import type { SessionStatus, WatchState, WatchStore } from './state.js';
import { uploadQueued } from './upload-step.js';

/** What a session event carries besides its session (optional when nothing else is declared). */
type More<N extends RigEventName> = Omit<RigDataOf<N>, 'session'>;
type MoreData<N extends RigEventName> = Record<string, never> extends More<N> ? [data?: More<N>] : [data: More<N>];

export type LoopOptions = Omit<WatchOptions, 'clock' | 'store' | 'folders'> & { clock: Clock; store: WatchStore; folders: FolderView };

/** Settled folders are looked at again only on a hint or after this long (an idle daemon stays cheap). */
const FULL_SCAN_MS = 30_000;
const SETTLED = ['uploaded', 'invalid', 'failed'];

export class WatchLoop {
  readonly observations = new Map<string, Observation>();
  readonly queue: string[] = [];
  readonly retryAt = new Map<string, number>();
  readonly tokens: TokenSource;
  readonly transport = new PutTransport();
  /** Folders whose upload failed in this run (a failure from an earlier run is retried once). */
  readonly failedThisRun = new Set<string>();
  /** Folders whose upload a signal cut short, with how far each had got. */
  readonly interrupted: { name: string; progress: number }[] = [];
  /** The rig's name, from its key; unknown while offline since start-up. */
  rig: string | undefined;
  private hinted = true;
  private lastFull = -Infinity;
  private lastBeat = -Infinity;
  private pause: AbortController | undefined;

  constructor(
    readonly o: LoopOptions,
    readonly state: WatchState,
  ) {
    this.tokens = new TokenSource(o.api, o.apiKey, o.clock);
  }

  now(): number {
    return this.o.clock.now().getTime();
  }

  /** A filesystem hint: rescan everything now. */
  wake(): void {
    this.hinted = true;
    this.pause?.abort();
  }

  /** Sizes of the daemon's own collections, for soak tests. */
  footprint(): Record<string, number> {
    return { observations: this.observations.size, queue: this.queue.length, retryAt: this.retryAt.size, sessions: Object.keys(this.state.sessions).length };
  }

  async run(): Promise<void> {
    const { o } = this;
    const onAbort = () => this.pause?.abort();
    o.signal.addEventListener('abort', onAbort, { once: true });
    let stopHints: (() => Promise<void>) | undefined;
    try {
      this.rig = (await this.tokens.get().catch(() => undefined))?.rig;
      if (!o.once && o.hints) stopHints = await o.hints(() => this.wake());
      await this.scan();
      if (o.once) {
        // One more look after a short pause, so a folder still being written shows movement.
        await this.sleep(Math.min(o.quietMs, 2000));
        await this.scan();
        while (!o.signal.aborted && (await uploadQueued(this)));
      } else {
        while (!o.signal.aborted) {
          while (!o.signal.aborted && (await uploadQueued(this)));
          await this.beat();
          await this.sleep(o.pollMs ?? Math.max(250, Math.min(5000, o.quietMs / 4)));
          if (!o.signal.aborted) await this.scan();
        }
      }
    } catch (e) {
      if (!o.signal.aborted) throw e;
    } finally {
      o.signal.removeEventListener('abort', onAbort);
      await stopHints?.();
      this.transport.close();
      // A clean stop says so in the state: `status --root` reads "not running" from it (and,
      // after a kill -9, from the lock its pid no longer holds).
      this.state.stoppedAt = o.clock.now().toISOString();
      delete this.state.pid;
      await this.beat().catch(() => undefined);
    }
  }

  /** Waits `ms`, or less when woken or aborted. */
  private async sleep(ms: number): Promise<void> {
    if (this.o.signal.aborted) return;
    const pause = new AbortController();
    this.pause = pause;
    try {
      await this.o.clock.sleep(ms, pause.signal);
    } catch (e) {
      if (!pause.signal.aborted) throw e;
    } finally {
      this.pause = undefined;
    }
  }

  set(name: string, s: Omit<SessionStatus, 'updatedAt'>): void {
    const { state } = this;
    state.sessions[name] = { ...state.sessions[name], ...s, updatedAt: this.o.clock.now().toISOString() };
    if (s.state !== 'uploading') delete state.sessions[name].progress;
  }

  /** Logs a declared rig event about session folder `name` and spools it for the cloud log. */
  async emit<N extends Exclude<RigEventName, 'rig.heartbeat'>>(
    level: RigLevelOf<N>,
    event: N,
    name: string,
    message: string,
    ...more: MoreData<N>
  ): Promise<void> {
    const sessionId = this.rig ? `${this.rig}/${name}` : undefined;
    const e = { time: this.o.clock.now().toISOString(), level, event, sessionId, message, data: { ...more[0], session: name } };
    // The declaration is the contract the API checks: an event that does not fit it is a bug here.
    if (!isClientEvent(e)) throw new Error(`bug: the ${event} event does not fit its declaration (src/core/events/rig-events.ts)`);
    const checked: ClientEvent = e;
    this.o.logger.log(checked.level, checked.event, { sessionId, message, ...checked.data });
    await this.o.store.addEvent(checked);
  }

  private async scan(): Promise<void> {
    const { o, state } = this;
    const now = this.now();
    const full = this.hinted || o.once || now - this.lastFull >= FULL_SCAN_MS;
    if (full) {
      this.hinted = false;
      this.lastFull = now;
    }
    const names = await o.folders.sessionFolders();
    if (full) await this.forgetGone(names);
    for (const name of names) {
      const known = state.sessions[name];
      // A failure from before this run (a wrong key since fixed, a store that was down) is
      // tried again once per start; within a run it waits for the folder to change.
      const settled = known && SETTLED.includes(known.state) && !(known.state === 'failed' && !this.failedThisRun.has(name));
      if (settled && !full) continue;
      const snap = await o.folders.snapshot(name);
      const prev = this.observations.get(name);
      const obs = observe(prev, snap, now);
      this.observations.set(name, obs);
      // --once looks twice, a short pause apart: a folder unchanged across the pause is judged by
      // its files' mtimes alone (it cannot be watched for a whole quiet period).
      const gate = o.once && prev && prev.fingerprint === obs.fingerprint ? { ...obs, since: -Infinity } : obs;
      if (settled && known.fingerprint === obs.fingerprint) continue;
      if (this.queue.includes(name) || known?.state === 'uploading') continue;
      const r = readiness(snap, gate, now, { quietMs: o.quietMs, markerFile: o.markerFile, isMetadata: isMetadataFileName });
      if (!r.ready) {
        this.set(name, { state: 'waiting', reason: r.reason });
        continue;
      }
      const v = await validateSessionDir(join(o.root, name), { markerFile: o.markerFile, schema: o.schema });
      if (!v.ok) {
        const problems = v.problems.filter((p) => p.severity === 'error').map(formatProblem);
        const reason = problems.join('; ');
        this.set(name, { state: 'invalid', reason, fingerprint: obs.fingerprint });
        await this.emit('warn', 'session.invalid', name, reason);
        o.reporter.warn(`${name}: invalid, left untouched (${problems.length} problem(s)):`);
        for (const p of v.problems.filter((q) => q.severity === 'error')) o.reporter.warn(`  ${problemLine(p)}`);
        continue;
      }
      this.queue.push(name);
      this.set(name, { state: 'queued', reason: undefined, fingerprint: obs.fingerprint });
      await this.emit('info', 'session.ready', name, `ready: ${v.session.files.length} files, ${v.session.totalBytes} bytes`);
      // Content problems do not hold a session back (core/session/severity.ts): they are reported and uploaded with it.
      const warnings = v.problems.filter((p) => p.severity === 'warning');
      if (warnings.length > 0) {
        await this.emit('warn', 'session.warning', name, warnings.map(formatProblem).join('; '));
        o.reporter.warn(`${name}: archived as recorded, with ${warnings.length} warning(s):`);
        for (const w of warnings) o.reporter.warn(`  ${w.consequence === 'not_processed' ? '(data will not be processed) ' : ''}${problemLine(w)}`);
      }
    }
  }

  /**
   * Folders no longer under the root (renamed to fix their name, moved, cleaned up after
   * upload) leave the loop and the state, so `status --root` stops listing them; one the rig's
   * cloud view listed as waiting, invalid or failed gets a `session.gone` event so the web view
   * drops it too.
   */
  private async forgetGone(names: string[]): Promise<void> {
    const present = new Set(names);
    for (const name of this.observations.keys()) if (!present.has(name)) this.observations.delete(name);
    for (const [name, s] of Object.entries(this.state.sessions)) {
      if (present.has(name) || s.state === 'uploading' || this.queue.includes(name)) continue;
      delete this.state.sessions[name];
      this.retryAt.delete(name);
      if (s.state !== 'uploaded') await this.emit('info', 'session.gone', name, `${name} is no longer under ${this.o.root} (was ${s.state})`);
    }
  }

  private async beat(): Promise<void> {
    const { o, state } = this;
    state.heartbeatAt = o.clock.now().toISOString();
    await o.store.save(state);
    if (this.now() - this.lastBeat >= (o.heartbeatMs ?? 60_000)) {
      this.lastBeat = this.now();
      await o.store.addEvent({
        time: state.heartbeatAt,
        level: 'info',
        event: RIG_EVENTS.heartbeat.name,
        message: `watching ${o.root} on ${hostname()}`,
        data: { queued: this.queue.length },
      });
    }
    try {
      const auth = await this.tokens.get();
      this.rig = auth.rig;
      await o.store.flushEvents((events) => o.api.sendEvents(auth.token, events));
    } catch (e) {
      o.logger.log('debug', 'events.offline', { error: messageOf(e) });
    }
  }
}
