/**
 * The last phase of an upload (upload-session.ts): every file re-stat'ed (one that changed since
 * it was hashed stops the upload, nothing committed), then the manifest (or the next revision's)
 * committed: the commit marker, written last.
 */
import { stat } from 'node:fs/promises';
import { sameFile } from '../../core/ingest/journal-types.js';
import { nextRevision } from '../../core/session/revisions.js';
import { changedFiles } from '../../core/session/served-revision.js';
import { changed } from './send-file.js';
import type { Sent } from './upload-send.js';
import { mb } from './upload-session.js';
import type { UploadContext, UploadResult } from './upload-types.js';

export async function commitUpload(ctx: UploadContext, sent: Sent): Promise<UploadResult> {
  const { session, journal, deps, sessionId } = ctx;
  const { base, toSend } = sent;
  for (const f of session.files) {
    const s = await stat(f.path);
    if (!sameFile(journal.files[f.name], { name: f.name, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, ctimeMs: s.ctimeMs }))
      throw changed(f, 'it changed after it was hashed');
  }
  const manifest = base
    ? nextRevision(base, await ctx.manifestNow(), Object.fromEntries(toSend.map((f) => [f.name, journal.files[f.name].attempt!])))
    : await ctx.manifestNow();
  deps.reporter.step(base ? `committing ${sessionId} revision ${manifest.revision}` : `committing ${sessionId}`);
  const committed = await ctx.retry('commit', async () => deps.api.commit((await ctx.tokens.get()).token, manifest));
  journal.committed = { manifestSha256: committed.manifestSha256, at: ctx.clock.now().toISOString() };
  await deps.journals.save(journal);
  const bytesSent = deps.transport.bytesSent - ctx.sentBefore;
  const revision = committed.revision ?? 1;
  if (revision > 1) deps.reporter.succeed(`session ${sessionId} revision ${revision} archived: ${toSend.length} new or changed file(s), ${mb(bytesSent)} sent`);
  else
    deps.reporter.succeed(
      `uploaded ${sessionId}: ${session.files.length} files, ${mb(session.totalBytes)}${committed.status === 'already_committed' ? ' (already committed)' : ''}`,
    );
  const durationMs = ctx.clock.now().getTime() - ctx.startedMs;
  ctx.log.log('info', revision > 1 ? 'upload.revision_committed' : 'upload.committed', {
    files: session.files.length,
    bytes: session.totalBytes,
    bytesSent,
    manifestSha256: committed.manifestSha256,
    revision,
    batchCalls: sent.batchCalls,
    ms: durationMs,
  });
  return {
    sessionId,
    dir: session.dir,
    status: revision > 1 ? 'revised' : committed.status === 'already_committed' ? 'already_uploaded' : 'uploaded',
    revision,
    ...(base && revision > 1 ? { changesArchived: changedFiles(base, manifest).map((c) => c.name) } : {}),
    files: session.files.length,
    totalBytes: session.totalBytes,
    bytesSent,
    durationMs,
    manifestSha256: committed.manifestSha256,
    batchCalls: sent.batchCalls,
  };
}
