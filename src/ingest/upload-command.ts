/**
 * `recpipe upload DIR...`: validate every folder first (nothing is sent if any is invalid),
 * then upload them one after the other through the API, or with `--direct --rig NAME` through
 * the same API code run in this process over the caller's own S3 credentials (direct-api.ts).
 */
import type { CommandResult, Runtime } from '../cli/context.js';
import { requireApi, resolveEndpoints } from '../composition.js';
import { RecpipeError } from '../core/errors.js';
import { HttpIngestApi } from '../adapters/http/ingest-client.js';
import type { IngestApi, Logger } from '../core/ports.js';
import type { Config } from '../config/schema.js';
import { JournalStore } from '../adapters/fs/journal-store.js';
import { formatProblem, loadMetadataSchema, validateSessionDir } from '../session/validate-session-dir.js';
import type { ValidatedSession } from '../core/session/validation-types.js';
import { directRig } from './direct-rig.js';
import { PutTransport } from './put-transport.js';
import { TokenSource } from './token-source.js';
import { mb, uploadSession, type UploadResult } from './upload-session.js';

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
  const { api, apiKey, close } = await openIngestApi(config, rig, rt.logger);
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
  const lines = results.map((r) => (r.status === 'already_uploaded' ? `${r.sessionId}: already uploaded, nothing sent` : r.status === 'revised' ? `session ${r.sessionId} revision ${r.revision} archived (${mb(r.bytesSent)} sent)` : `${r.sessionId}: uploaded ${r.files} files, ${mb(r.totalBytes)} in ${(r.durationMs / 1000).toFixed(1)} s (${mb(r.bytesSent)} sent)`));
  return { data: { sessions: results }, human: lines.join('\n') };
}

/**
 * The API the engine talks to: over HTTP with the configured URL and key, or (`--direct`, a rig
 * given) in this process over an S3 client with the profile's credentials: on the local profile
 * the stack's gateway and credentials, on aws the standard credential chain.
 */
async function openIngestApi(config: Config, rig: string | undefined, logger: Logger): Promise<{ api: IngestApi; apiKey: string; close(): void }> {
  const endpoints = resolveEndpoints(config);
  if (rig === undefined) {
    const { apiUrl, apiKey } = requireApi(endpoints);
    const api = new HttpIngestApi(apiUrl);
    return { api, apiKey, close: () => api.close() };
  }
  // Loaded only here: the S3 client and the in-process API cost 0.1 s of start-up that the
  // usual path through the API does not need.
  const [{ createS3Client }, { openDirectApi }] = await Promise.all([import('../adapters/s3/client.js'), import('./direct-api.js')]);
  const s3 = createS3Client(endpoints.s3);
  try {
    return { ...(await openDirectApi({ rig, s3, rawBucket: endpoints.rawBucket, logger })), close: () => s3.destroy() };
  } catch (e) {
    s3.destroy();
    throw e;
  }
}
