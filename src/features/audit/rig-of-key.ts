/**
 * The rig a machine's API key belongs to, from the API's authenticate answer (the token is
 * scoped to one rig, and the answer names it). Lets `recpipe verify --root DIR` run on a rig
 * with no other flag; operators auditing a copy of a rig's folders still pass `--rig`.
 */
import { RecpipeError } from '../../core/errors.js';
import type { IngestApi } from '../../core/ports.js';

/** What the profile says of its API (where it is, the key), and how to open it. */
export interface RigApi {
  apiUrl?: string;
  apiKey?: string;
  open(): Promise<{ api: IngestApi; apiKey: string; close: () => void }>;
}

export async function rigOfApiKey(rigApi: RigApi): Promise<string> {
  if (!rigApi.apiUrl || !rigApi.apiKey) {
    throw new RecpipeError('usage', '--root needs --rig NAME, or an API key configured on this machine to tell the rig', {
      hint: 'on a rig, configure its API key (RECPIPE_API_KEY); elsewhere pass --rig, e.g. recpipe verify --root /data/sessions --rig rig-01',
    });
  }
  const { api, apiKey, close } = await rigApi.open();
  try {
    return (await api.authenticate(apiKey)).rig;
  } finally {
    close();
  }
}
