/**
 * Uploads session folders: validate every folder first (nothing is sent if any is invalid), then
 * upload them one after the other through the IngestApi the caller opens (HTTP, or the direct
 * profile in this process). Used by `recpipe upload` and by `verify --repair`.
 */
import type { Config } from '../../config/schema.js';
import { RecpipeError } from '../../core/errors.js';
import type { IngestApi, Logger, Reporter } from '../../core/ports.js';
import type { ValidatedSession } from '../../core/session/validation-types.js';
import { JournalStore } from '../../adapters/fs/journal-store.js';
import { formatProblem, loadMetadataSchema, validateSessionDir } from '../session/validate-session-dir.js';
import { PutTransport } from './put-transport.js';
import { systemClock } from '../../adapters/system/clock.js';
import { TokenSource, type TokenCache } from './token-source.js';
import { uploadSession, type UploadOptions, type UploadResult } from './upload-session.js';
import { uploadOptions } from './engine-options.js';

export interface UploadDirsDeps {
  config: Config;
  /** Part size, parts in flight and --bwlimit (engine-options.ts); from the config when absent. */
  upload?: UploadOptions;
  /** Opens the API to talk to (the profile's services give it); closed when the uploads end. */
  openApi(): Promise<{ api: IngestApi; apiKey: string; tokenCache?: TokenCache; close: () => void }>;
  /** 'direct' when openApi gives the in-process API (logged with each upload). */
  clientTransport: 'api' | 'direct';
  reporter: Reporter;
  logger: Logger;
  signal?: AbortSignal;
  /** Told each content warning (core/session/severity.ts): warnings never stop an upload, they travel in the manifest. */
  onWarning?(warning: string): void;
}

export async function uploadDirs(dirs: string[], d: UploadDirsDeps): Promise<UploadResult[]> {
  const { config } = d;
  const schema = config.metadataSchema ? await loadMetadataSchema(config.metadataSchema) : undefined;
  const sessions: ValidatedSession[] = [];
  const problems: string[] = [];
  for (const dir of dirs) {
    const r = await validateSessionDir(dir, { schema, markerFile: config.markerFile });
    if (r.ok) sessions.push(r.session);
    problems.push(...r.problems.filter((p) => p.severity === 'error').map(formatProblem));
    for (const w of r.problems.filter((p) => p.severity === 'warning').map(formatProblem)) {
      d.logger.log('warn', 'upload.warning', { warning: w });
      d.onWarning?.(w);
    }
  }
  if (problems.length > 0) {
    throw new RecpipeError(
      'invalid_session',
      `${problems.length} problem${problems.length > 1 ? 's' : ''}; nothing was uploaded:\n  ${problems.join('\n  ')}`,
      {
        hint: 'fix the listed problems (`recpipe check DIR` shows them again) and re-run',
        details: { problems },
      },
    );
  }
  const { api, apiKey, tokenCache, close } = await d.openApi();
  const transport = new PutTransport();
  const options = d.upload ?? uploadOptions(config, {});
  const deps = {
    api,
    apiKey,
    journals: new JournalStore(config.home, d.logger),
    transport,
    reporter: d.reporter,
    logger: d.logger,
    signal: d.signal,
    tokens: new TokenSource(api, apiKey, systemClock, tokenCache),
    clientTransport: d.clientTransport,
  };
  const results: UploadResult[] = [];
  try {
    for (const s of sessions) {
      results.push(await uploadSession(s, deps, options));
    }
  } finally {
    transport.close();
    close();
  }
  return results;
}
