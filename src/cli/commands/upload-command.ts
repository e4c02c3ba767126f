/**
 * `recpipe upload DIR...`: validate every folder first (nothing is sent if any is invalid),
 * then upload them one after the other through the API, or with `--direct --rig NAME` through
 * the same API code run in this process over the caller's own S3 credentials (direct-api.ts).
 */
import type { CommandResult, Runtime } from '../context.js';
import { openIngestApi } from '../../composition/ingest-api.js';
import { RecpipeError } from '../../core/errors.js';
import { JournalStore } from '../../adapters/fs/journal-store.js';
import { formatProblem, loadMetadataSchema, validateSessionDir } from '../../session/validate-session-dir.js';
import type { ValidatedSession } from '../../core/session/validation-types.js';
import { directRig } from '../../ingest/direct-rig.js';
import { PutTransport } from '../../ingest/put-transport.js';
import { TokenSource } from '../../ingest/token-source.js';
import { mb, uploadSession, type UploadResult } from '../../ingest/upload-session.js';

export interface UploadFlags {
  concurrency?: number;
  partSizeMib?: number;
  direct?: boolean;
  rig?: string;
}

export async function uploadCommand(rt: Runtime, dirs: string[], flags: UploadFlags): Promise<CommandResult> {
  const rig = directRig(flags);
  const config = rt.config({ concurrency: flags.concurrency, partSizeMiB: flags.partSizeMib });
  const schema = config.metadataSchema ? await loadMetadataSchema(config.metadataSchema) : undefined;
  const sessions: ValidatedSession[] = [];
  const problems: string[] = [];
  for (const dir of dirs) {
    const r = await validateSessionDir(dir, { schema, markerFile: config.markerFile });
    if (r.ok) sessions.push(r.session);
    problems.push(...r.problems.filter((p) => p.severity === 'error').map(formatProblem));
  }
  if (problems.length > 0) {
    throw new RecpipeError('invalid_session', `${problems.length} problem${problems.length > 1 ? 's' : ''}; nothing was uploaded:\n  ${problems.join('\n  ')}`, {
      hint: 'fix the listed problems (`recpipe check DIR` shows them again) and re-run',
      details: { problems },
    });
  }
  const { api, apiKey, close } = await openIngestApi(config, rt.logger, rig);
  const transport = new PutTransport();
  const deps = {
    api, apiKey, journals: new JournalStore(config.home, rt.logger), transport, reporter: rt.reporter, logger: rt.logger, signal: rt.signal, tokens: new TokenSource(api, apiKey),
    clientTransport: rig === undefined ? ('api' as const) : ('direct' as const),
  };
  const results: UploadResult[] = [];
  try {
    for (const s of sessions) {
      results.push(await uploadSession(s, deps, { partSize: config.partSizeMiB * 1024 * 1024, multipartThreshold: config.multipartThresholdMiB * 1024 * 1024, concurrency: config.concurrency }));
    }
  } finally {
    transport.close();
    close();
  }
  const lines = results.map((r) => (r.status === 'already_uploaded' ? `${r.sessionId}: already uploaded, nothing sent` : `${r.sessionId}: uploaded ${r.files} files, ${mb(r.totalBytes)} in ${(r.durationMs / 1000).toFixed(1)} s (${mb(r.bytesSent)} sent)`));
  return { data: { sessions: results }, human: lines.join('\n') };
}
