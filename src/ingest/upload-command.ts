/**
 * `recpipe upload DIR...`: validate every folder first (nothing is sent if any is invalid),
 * then upload them one after the other through the API.
 */
import type { CommandResult, Runtime } from '../cli/context.js';
import { requireApi, resolveEndpoints } from '../composition.js';
import { RecpipeError } from '../core/errors.js';
import { HttpIngestApi } from '../adapters/http/ingest-client.js';
import { JournalStore } from '../adapters/fs/journal-store.js';
import { formatProblem, loadMetadataSchema, validateSessionDir } from '../session/validate-session-dir.js';
import type { ValidatedSession } from '../core/session/validation-types.js';
import { PutTransport } from './put-transport.js';
import { TokenSource } from './token-source.js';
import { mb, uploadSession, type UploadResult } from './upload-session.js';

export interface UploadFlags {
  concurrency?: number;
  partSizeMib?: number;
  direct?: boolean;
}

export async function uploadCommand(rt: Runtime, dirs: string[], flags: UploadFlags): Promise<CommandResult> {
  if (flags.direct) {
    throw new RecpipeError('usage', '--direct (upload with AWS credentials, without the API) is not available yet', { hint: 'upload through the API: drop --direct' });
  }
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
  const { apiUrl, apiKey } = requireApi(resolveEndpoints(config));
  const api = new HttpIngestApi(apiUrl);
  const transport = new PutTransport();
  const deps = { api, apiKey, journals: new JournalStore(config.home, rt.logger), transport, reporter: rt.reporter, logger: rt.logger, signal: rt.signal, tokens: new TokenSource(api, apiKey) };
  const results: UploadResult[] = [];
  try {
    for (const s of sessions) {
      results.push(await uploadSession(s, deps, { partSize: config.partSizeMiB * 1024 * 1024, multipartThreshold: config.multipartThresholdMiB * 1024 * 1024, concurrency: config.concurrency }));
    }
  } finally {
    transport.close();
  }
  const lines = results.map((r) => (r.status === 'already_uploaded' ? `${r.sessionId}: already uploaded, nothing sent` : `${r.sessionId}: uploaded ${r.files} files, ${mb(r.totalBytes)} in ${(r.durationMs / 1000).toFixed(1)} s (${mb(r.bytesSent)} sent)`));
  return { data: { sessions: results }, human: lines.join('\n') };
}
