/**
 * The IngestApi a rig-side command talks to: over HTTP with the profile's URL and key, or (the
 * direct profile, `upload --direct --rig NAME`) in this process over an S3 client with the
 * profile's credentials: on the local profile the stack's gateway and credentials, on aws the
 * standard credential chain.
 */
import type { Config } from '../config/schema.js';
import type { IngestApi, Logger } from '../core/ports.js';
import { HttpIngestApi } from '../adapters/http/ingest-client.js';
import { requireApi, resolveEndpoints } from '../composition.js';

export interface IngestApiHandle {
  api: IngestApi;
  apiKey: string;
  /** Releases the connections (and the direct profile's S3 client). */
  close: () => void;
}

export async function openIngestApi(config: Config, logger: Logger, rig?: string): Promise<IngestApiHandle> {
  const endpoints = resolveEndpoints(config);
  if (rig === undefined) {
    const { apiUrl, apiKey } = requireApi(endpoints);
    const api = new HttpIngestApi(apiUrl);
    return { api, apiKey, close: () => api.close() };
  }
  // Loaded only here: the S3 client and the in-process API cost 0.1 s of start-up that the
  // usual path through the API does not need.
  // One after the other: Jest's ESM loader fails two dynamic imports linking one module at once.
  const { openS3Client } = await import('./storage.js');
  const { openDirectApi } = await import('./direct-api-deps.js');
  const s3 = openS3Client(endpoints.s3);
  try {
    return { ...(await openDirectApi({ rig, s3, rawBucket: endpoints.rawBucket, logger })), close: () => s3.destroy() };
  } catch (e) {
    s3.destroy();
    throw e;
  }
}
