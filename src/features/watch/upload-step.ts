/**
 * One upload step of the daemon: the first queued folder whose retry time has come is validated
 * again and uploaded with the resumable engine. Retryable failures go back in the queue with a
 * backoff; a folder that changed during the upload goes back to waiting.
 */
import { join } from 'node:path';
import { RecpipeError, isRecpipeError, messageOf } from '../../core/errors.js';
import type { Reporter } from '../../core/ports.js';
import { parseSessionId } from '../../core/layout.js';
import { backoffMs } from '../../core/watch/readiness.js';
import { validateSessionDir } from '../session/validate-session-dir.js';
import { uploadSession } from '../ingest/upload-session.js';
import { revisionNotice } from '../ingest/revision-notice.js';
import type { WatchLoop } from './watch-loop.js';

/** Uploads one queued folder; false when none is due. */
export async function uploadQueued(loop: WatchLoop): Promise<boolean> {
  const { o, queue, retryAt, state } = loop;
  const now = loop.now();
  const name = queue.find((n) => (retryAt.get(n) ?? 0) <= now);
  if (!name) return false;
  queue.splice(queue.indexOf(name), 1);
  const v = await validateSessionDir(join(o.root, name), { markerFile: o.markerFile, schema: o.schema });
  if (!v.ok) {
    loop.set(name, { state: 'waiting', reason: 'changed since it was queued' });
    loop.observations.delete(name);
    return true;
  }
  const fp = state.sessions[name]?.fingerprint;
  loop.set(name, { state: 'uploading', progress: 0, fingerprint: fp });
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
    const r = await uploadSession(
      v.session,
      {
        api: o.api,
        apiKey: o.apiKey,
        journals: o.journals,
        transport: loop.transport,
        reporter: progressReporter,
        logger: o.logger,
        signal: o.signal,
        tokens: loop.tokens,
      },
      o.upload,
    );
    loop.rig = parseSessionId(r.sessionId).rig;
    retryAt.delete(name);
    loop.set(name, { state: 'uploaded', fingerprint: fp, reason: r.status === 'already_uploaded' ? 'already uploaded' : undefined });
    // The engine has announced the outcome on the reporter (one line per upload); here it only
    // goes to the state, the log and the rig's cloud events.
    if (r.status === 'revised') {
      // Content the rig wrote after the session was committed (it paused longer than the quiet period).
      // One that changes archived bytes is held for review: said as a warning, on the rig and in the cloud log.
      const held = (r.changesArchived ?? []).length > 0;
      loop.set(name, { state: 'uploaded', fingerprint: fp, reason: `revision ${r.revision} archived${held ? ', held for review' : ''}` });
      await loop.emit(held ? 'warn' : 'info', 'session.revised', name, `${revisionNotice(r)}: ${r.bytesSent} bytes sent`, {
        revision: r.revision,
        ...(held ? { changesArchived: r.changesArchived } : {}),
      });
      // The engine said it was archived; that it is held (and how to accept it) is said once more, as a warning.
      if (held) o.reporter.warn(revisionNotice(r));
    } else {
      await loop.emit('info', 'session.uploaded', name, `${r.status}: ${r.files} files, ${r.totalBytes} bytes, ${r.bytesSent} sent`);
    }
  } catch (e) {
    if (o.signal.aborted) {
      const progress = state.sessions[name]?.progress ?? 0;
      loop.interrupted.push({ name, progress });
      loop.set(name, { state: 'queued', reason: `interrupted at ${progress}%; resumes where it stopped when the daemon starts again`, fingerprint: fp });
      throw e;
    }
    const err = isRecpipeError(e) ? e : new RecpipeError('failed', messageOf(e), { cause: e });
    if (err.code === 'integrity') {
      loop.set(name, { state: 'waiting', reason: `changed during upload: ${err.message}` });
      loop.observations.delete(name);
    } else if (err.retryable && !o.once) {
      const attempts = (state.sessions[name]?.attempts ?? 0) + 1;
      const wait = backoffMs(attempts);
      retryAt.set(name, loop.now() + wait);
      queue.push(name);
      loop.set(name, { state: 'queued', reason: `${err.message}; retry ${attempts} in ${Math.round(wait / 1000)} s`, attempts, fingerprint: fp });
      o.logger.log('warn', 'session.retry', { session: name, attempts, waitMs: wait, error: err.message });
    } else {
      loop.failedThisRun.add(name);
      loop.set(name, { state: 'failed', reason: err.hint ? `${err.message} (fix: ${err.hint})` : err.message, fingerprint: fp });
      await loop.emit('error', 'session.failed', name, err.message, { code: err.code });
      o.reporter.warn(`${name}: failed: ${err.message}`);
    }
  }
  return true;
}
