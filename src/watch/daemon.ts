/**
 * `recpipe watch ROOT`: turns a folder of session folders into uploaded sessions, with no human
 * in the loop. A periodic scan (filesystem events only wake it early) gates each folder on
 * quiet time, validates it, queues it, and uploads it with the resumable engine. Offline or
 * server errors back off and retry forever; invalid folders are reported once and left as
 * they are; a folder that changes during upload goes back to waiting.
 */
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClientEvent } from '../core/api.js';
import { RecpipeError, isRecpipeError, messageOf } from '../core/errors.js';
import type { IngestApi, Logger, Reporter } from '../core/ports.js';
import { isMetadataFileName } from '../core/session/metadata.js';
import { SESSION_NAME } from '../core/session/name.js';
import { backoffMs, observe, readiness, type Observation, type Snapshot } from '../core/watch/readiness.js';
import type { JournalStore } from '../adapters/fs/journal-store.js';
import { formatProblem, validateSessionDir } from '../session/validate-session-dir.js';
import { PutTransport } from '../ingest/put-transport.js';
import { TokenSource } from '../ingest/token-source.js';
import { uploadSession, type UploadOptions } from '../ingest/upload-session.js';
import { acquireLock } from '../adapters/fs/lock-file.js';
import { EventSpool, loadState, saveState, watchDir, type SessionStatus, type WatchState } from './state.js';

export interface WatchOptions {
  root: string;
  home: string;
  api: IngestApi;
  apiKey: string;
  journals: JournalStore;
  logger: Logger;
  reporter: Reporter;
  signal: AbortSignal;
  once: boolean;
  quietMs: number;
  markerFile?: string;
  upload: UploadOptions;
  pollMs?: number;
  heartbeatMs?: number;
  /** Called with a wake-up function; returns a closer (the chokidar hint source). */
  hints?: (wake: () => void) => Promise<() => Promise<void>>;
}

export interface WatchSummary {
  root: string;
  uploaded: string[];
  invalid: string[];
  failed: string[];
  waiting: string[];
}

export async function runWatch(o: WatchOptions): Promise<WatchSummary> {
  const root = resolve(o.root);
  const st = await lstat(root).catch(() => undefined);
  if (!st?.isDirectory()) throw new RecpipeError('usage', `${root} is not a folder`, { hint: 'pass the folder that holds the session folders' });
  const dir = watchDir(o.home, root);
  await mkdir(dir, { recursive: true });
  const lock = await acquireLock(join(dir, 'lock'), root);
  const state: WatchState = await loadState(dir, root);
  state.pid = process.pid;
  const spool = new EventSpool(dir);
  const tokens = new TokenSource(o.api, o.apiKey);
  const transport = new PutTransport();
  const observations = new Map<string, Observation>();
  const queue: string[] = [];
  const retryAt = new Map<string, number>();
  let wake: () => void = () => undefined;
  let stopHints: (() => Promise<void>) | undefined;
  let lastBeat = 0;
  // Folders already settled (uploaded, invalid, failed) are re-examined on a filesystem hint or
  // every 30 s, not on every scan: an idle daemon over years of sessions stays cheap.
  let hinted = true;
  let lastFull = 0;

  const set = (name: string, s: Omit<SessionStatus, 'updatedAt'>) => {
    state.sessions[name] = { ...state.sessions[name], ...s, updatedAt: new Date().toISOString() };
    if (s.state !== 'uploading') delete state.sessions[name].progress;
  };
  const emit = async (level: ClientEvent['level'], event: string, name: string | undefined, message: string, data?: Record<string, unknown>) => {
    // The rig's name comes from its key; offline at start-up, events carry the folder name only.
    const sessionId = name && tokensRig ? `${tokensRig}/${name}` : undefined;
    o.logger.log(level, event, { sessionId, session: name, message, ...data });
    await spool.add({ time: new Date().toISOString(), level, event, sessionId, message, data: { ...data, session: name } });
  };
  let tokensRig: string | undefined;

  async function snapshot(folder: string): Promise<Snapshot> {
    const files = [];
    for (const e of await readdir(folder, { withFileTypes: true })) {
      const s = await lstat(join(folder, e.name)).catch(() => undefined);
      if (s) files.push({ name: e.name, size: s.size, mtimeMs: s.mtimeMs });
    }
    return { files };
  }

  async function scan(now: number): Promise<void> {
    const full = hinted || o.once || now - lastFull >= 30_000;
    if (full) {
      hinted = false;
      lastFull = now;
    }
    const names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && SESSION_NAME.test(d.name)).map((d) => d.name).sort();
    for (const name of names) {
      const settled = state.sessions[name] && ['uploaded', 'invalid', 'failed'].includes(state.sessions[name].state);
      if (settled && !full) continue;
      const snap = await snapshot(join(root, name));
      const prev = observations.get(name);
      const obs = observe(prev, snap, now);
      observations.set(name, obs);
      // --once looks twice, a short pause apart: a folder unchanged across the pause is judged by
      // its files' mtimes alone (it cannot be watched for a whole quiet period).
      const gate = o.once && prev && prev.fingerprint === obs.fingerprint ? { ...obs, since: -Infinity } : obs;
      const known = state.sessions[name];
      if (known && ['uploaded', 'invalid', 'failed'].includes(known.state) && known.fingerprint === obs.fingerprint) continue;
      if (queue.includes(name) || known?.state === 'uploading') continue;
      const r = readiness(snap, gate, now, { quietMs: o.quietMs, markerFile: o.markerFile, isMetadata: isMetadataFileName });
      if (!r.ready) {
        set(name, { state: 'waiting', reason: r.reason });
        continue;
      }
      const v = await validateSessionDir(join(root, name), { markerFile: o.markerFile });
      if (!v.ok) {
        const reason = v.problems.filter((p) => p.severity === 'error').map(formatProblem).join('; ');
        set(name, { state: 'invalid', reason, fingerprint: obs.fingerprint });
        await emit('warn', 'session.invalid', name, reason);
        o.reporter.warn(`${name}: invalid, left untouched: ${reason}`);
        continue;
      }
      queue.push(name);
      set(name, { state: 'queued', fingerprint: obs.fingerprint });
      await emit('info', 'session.ready', name, `ready: ${v.session.files.length} files, ${v.session.totalBytes} bytes`);
      // Content problems do not hold a session back (core/session/severity.ts): they are reported and uploaded with it.
      const warnings = v.problems.filter((p) => p.severity === 'warning').map(formatProblem);
      if (warnings.length > 0) {
        await emit('warn', 'session.warning', name, warnings.join('; '));
        o.reporter.warn(`${name}: archived with ${warnings.length} warning(s): ${warnings.join('; ')}`);
      }
    }
  }

  async function uploadNext(now: number): Promise<boolean> {
    const name = queue.find((n) => (retryAt.get(n) ?? 0) <= now);
    if (!name) return false;
    queue.splice(queue.indexOf(name), 1);
    const v = await validateSessionDir(join(root, name), { markerFile: o.markerFile });
    if (!v.ok) {
      set(name, { state: 'waiting', reason: 'changed since it was queued' });
      observations.delete(name);
      return true;
    }
    const fp = state.sessions[name]?.fingerprint;
    set(name, { state: 'uploading', progress: 0, fingerprint: fp });
    const rep = o.reporter;
    const progressReporter: Reporter = {
      step: (m) => rep.step(m),
      info: (m) => rep.info(m),
      warn: (m) => rep.warn(m),
      succeed: (m) => rep.succeed(m),
      fail: (m) => rep.fail(m),
      progress: (f, label) => {
        if (state.sessions[name]) state.sessions[name].progress = Math.round(f * 100);
        rep.progress(f, label);
      },
    };
    try {
      const r = await uploadSession(v.session, { api: o.api, apiKey: o.apiKey, journals: o.journals, transport, reporter: progressReporter, logger: o.logger, signal: o.signal, tokens }, o.upload);
      tokensRig = r.sessionId.split('/')[0];
      retryAt.delete(name);
      set(name, { state: 'uploaded', fingerprint: fp, reason: r.status === 'already_uploaded' ? 'already uploaded' : undefined });
      await emit('info', 'session.uploaded', name, `${r.status}: ${r.files} files, ${r.totalBytes} bytes, ${r.bytesSent} sent`);
      o.reporter.info(`${r.sessionId}: ${r.status === 'already_uploaded' ? 'already uploaded' : 'uploaded'}`);
    } catch (e) {
      if (o.signal.aborted) {
        set(name, { state: 'queued', reason: 'interrupted; resumes on restart', fingerprint: fp });
        throw e;
      }
      const err = isRecpipeError(e) ? e : new RecpipeError('failed', messageOf(e), { cause: e });
      if (err.code === 'integrity') {
        set(name, { state: 'waiting', reason: `changed during upload: ${err.message}` });
        observations.delete(name);
      } else if (err.retryable && !o.once) {
        const attempts = (state.sessions[name]?.attempts ?? 0) + 1;
        const wait = backoffMs(attempts);
        retryAt.set(name, Date.now() + wait);
        queue.push(name);
        set(name, { state: 'queued', reason: `${err.message}; retry ${attempts} in ${Math.round(wait / 1000)} s`, attempts, fingerprint: fp });
        o.logger.log('warn', 'session.retry', { session: name, attempts, waitMs: wait, error: err.message });
      } else {
        set(name, { state: 'failed', reason: err.message, fingerprint: fp });
        await emit('error', 'session.failed', name, err.message, { code: err.code });
        o.reporter.warn(`${name}: failed: ${err.message}`);
      }
    }
    return true;
  }

  async function beat(): Promise<void> {
    state.heartbeatAt = new Date().toISOString();
    await saveState(dir, state);
    if (Date.now() - lastBeat >= (o.heartbeatMs ?? 60_000)) {
      lastBeat = Date.now();
      await spool.add({ time: state.heartbeatAt, level: 'info', event: 'rig.heartbeat', message: `watching ${root} on ${hostname()}`, data: { queued: queue.length } });
    }
    try {
      const auth = await tokens.get();
      tokensRig = auth.rig;
      const token = auth.token;
      await spool.flush((events) => o.api.sendEvents(token, events));
    } catch (e) {
      o.logger.log('debug', 'events.offline', { error: messageOf(e) });
    }
  }

  try {
    tokensRig = (await tokens.get().catch(() => undefined))?.rig;
    if (!o.once && o.hints) {
      stopHints = await o.hints(() => {
        hinted = true;
        wake();
      });
    }
    await scan(Date.now());
    if (o.once) {
      // One more look after a short pause, so a folder still being written shows movement.
      await sleep(Math.min(o.quietMs, 2000), o.signal);
      await scan(Date.now());
      while (!o.signal.aborted && (await uploadNext(Date.now())));
    } else {
      while (!o.signal.aborted) {
        while (!o.signal.aborted && (await uploadNext(Date.now())));
        await beat();
        await new Promise<void>((r) => {
          const t = setTimeout(r, o.pollMs ?? Math.max(250, Math.min(5000, o.quietMs / 4)));
          wake = () => {
            clearTimeout(t);
            r();
          };
          o.signal.addEventListener('abort', () => wake(), { once: true });
        });
        if (!o.signal.aborted) await scan(Date.now());
      }
    }
  } catch (e) {
    if (!o.signal.aborted) throw e;
  } finally {
    await stopHints?.();
    transport.close();
    await beat().catch(() => undefined);
    await lock.release();
  }
  const by = (s: string) => Object.entries(state.sessions).filter(([, v]) => v.state === s).map(([k]) => k);
  return { root, uploaded: by('uploaded'), invalid: by('invalid'), failed: by('failed'), waiting: [...by('waiting'), ...by('queued')] };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      r();
    }, { once: true });
  });
}
