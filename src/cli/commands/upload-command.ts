/**
 * `recpipe upload DIR...`: validate every folder first (nothing is sent if any is invalid),
 * then upload them one after the other through the API, or with `--direct --rig NAME` through
 * the same API code run in this process over the caller's own S3 credentials (direct-api.ts).
 */
import type { CommandResult, Runtime } from '../context.js';
import { directRig } from '../../features/ingest/direct-rig.js';
import { uploadDirs } from '../../features/ingest/upload-dirs.js';
import { uploadOptions } from '../../features/ingest/engine-options.js';
import { mb } from '../../features/ingest/upload-session.js';
import { revisionNotice } from '../../features/ingest/revision-notice.js';
import { RecpipeError, messageOf } from '../../core/errors.js';
import { ProgressMemo } from '../render/progress-memo.js';
import type { FlagsOf } from '../flags/table.js';

/** The options of `recpipe upload`, parsed (declared in src/cli/flags/ingest-flags.ts). */
export type UploadFlags = FlagsOf<'upload'>;

/** What a signal cut short, what was done before it, and the command that resumes (the journal keeps the parts sent). */
export function uploadInterrupted(reason: unknown, memo: ProgressMemo, dirs: string[]): RecpipeError {
  const where = memo.current ? ` while ${memo.current}${memo.label ? ` (${memo.label} sent, ${Math.round(memo.fraction * 100)}%)` : ''}` : '';
  const before = memo.done.length > 0 ? `; done before it: ${memo.done.join('; ')}` : '';
  return new RecpipeError('interrupted', `stopped (${messageOf(reason)})${where}${before}`, {
    fault: 'user',
    hint: `run the same command again to resume: recpipe upload ${dirs.join(' ')} (the parts already sent are recorded in the journal and are not sent again)`,
  });
}

export async function uploadCommand(rt: Runtime, dirs: string[], flags: UploadFlags): Promise<CommandResult> {
  const rig = directRig(flags);
  // --part-size-mib and --bwlimit are config keys: the config carries them.
  const config = rt.config();
  const services = rt.services(config, { directRig: rig });
  // Where the API is, before any folder is read: a stack that is not running is said first.
  services.endpoints();
  const warnings: string[] = [];
  const memo = new ProgressMemo(rt.reporter);
  const results = await uploadDirs(dirs, {
    config,
    upload: uploadOptions(config, flags),
    openApi: () => services.ingestApi(),
    clientTransport: services.profile === 'direct' ? 'direct' : 'api',
    reporter: memo,
    logger: rt.logger,
    signal: rt.signal,
    onWarning: (w) => warnings.push(w),
  })
    .catch((e: unknown) => {
      throw rt.signal.aborted ? uploadInterrupted(rt.signal.reason, memo, dirs) : e;
    })
    .finally(() => services.close());
  const lines = warnings.concat(
    results.map((r) =>
      r.status === 'already_uploaded'
        ? `${r.sessionId}: already uploaded, nothing sent`
        : r.status === 'revised'
          ? `${revisionNotice(r)} (${mb(r.bytesSent)} sent)`
          : `${r.sessionId}: uploaded ${r.files} files, ${mb(r.totalBytes)} in ${(r.durationMs / 1000).toFixed(1)} s (${mb(r.bytesSent)} sent)`,
    ),
  );
  return { data: { sessions: results, warnings }, human: lines.join('\n') };
}
