/**
 * The one place that decides, per profile, where the API and the object stores are and with
 * which credentials. Local: the running stack's loopback endpoints and its own credentials.
 * AWS: config values and the standard credential chain.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { RecpipeError } from '../core/errors.js';
import type { S3Settings } from '../adapters/s3/client.js';
import { localRigKeyPath, requireStackInfo } from '../local/stack-info.js';

export interface Endpoints {
  apiUrl?: string;
  apiKey?: string;
  s3: S3Settings;
  rawBucket: string;
  lakeBucket: string;
}

export function resolveEndpoints(config: Config): Endpoints {
  if (config.profile === 'local') {
    const stack = requireStackInfo(config.home);
    return {
      apiUrl: config.apiUrl ?? stack.api,
      apiKey: config.apiKey ?? readLocalRigKey(config.home),
      s3: { region: stack.region, endpoint: stack.s3, credentials: stack.credentials },
      rawBucket: stack.buckets.raw,
      lakeBucket: stack.buckets.lake,
    };
  }
  return {
    apiUrl: config.apiUrl,
    apiKey: config.apiKey,
    s3: { region: config.region, endpoint: config.s3Endpoint },
    rawBucket: config.rawBucket,
    lakeBucket: config.lakeBucket,
  };
}

function readLocalRigKey(home: string): string | undefined {
  try {
    return readFileSync(localRigKeyPath(home), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The API URL and key, or a config error that says how to set them. */
export function requireApi(e: Endpoints): { apiUrl: string; apiKey: string } {
  if (!e.apiUrl)
    throw new RecpipeError('config', 'no API URL configured', { hint: 'run `recpipe configure --from-stack outputs.json` or set RECPIPE_API_URL' });
  if (!e.apiKey)
    throw new RecpipeError('config', 'no API key configured', { hint: 'ask your admin for a key (`recpipe keys create --rig NAME`) and set RECPIPE_API_KEY' });
  return { apiUrl: e.apiUrl, apiKey: e.apiKey };
}
