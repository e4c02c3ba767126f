/**
 * The rig a machine's API key belongs to, from the API's authenticate answer (the token is
 * scoped to one rig, and the answer names it). Lets `recpipe verify --root DIR` run on a rig
 * with no other flag; operators auditing a copy of a rig's folders still pass `--rig`.
 */
import { HttpIngestApi } from '../adapters/http/ingest-client.js';
import { resolveEndpoints } from '../composition.js';
import type { Config } from '../config/schema.js';
import { RecpipeError } from '../core/errors.js';

export async function rigOfApiKey(config: Config): Promise<string> {
  const e = resolveEndpoints(config);
  if (!e.apiUrl || !e.apiKey) {
    throw new RecpipeError('usage', '--root needs --rig NAME, or an API key configured on this machine to tell the rig', {
      hint: 'on a rig, configure its API key (RECPIPE_API_KEY); elsewhere pass --rig, e.g. recpipe verify --root /data/sessions --rig rig-01',
    });
  }
  const api = new HttpIngestApi(e.apiUrl);
  try {
    return (await api.authenticate(e.apiKey)).rig;
  } finally {
    api.close();
  }
}
