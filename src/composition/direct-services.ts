/**
 * The direct profile (`recpipe upload --direct --rig NAME`): the local or aws profile's services,
 * with the ingestion API run in this process over that profile's S3 client (on local the stack's
 * gateway and credentials, on aws the standard credential chain): direct-api-deps.ts.
 */
import type { Logger } from '../core/ports.js';
import type { Services } from './services.js';

export function directServices(base: Services, rig: string, logger: Logger): Services {
  return {
    ...base,
    profile: 'direct',
    ingestApi: async () => {
      // Loaded only here: the S3 client and the in-process API cost 0.1 s of start-up that the
      // usual path through the API does not need. One after the other: Jest's ESM loader fails
      // two dynamic imports linking one module at once.
      const { client } = await base.storage();
      const { openDirectApi } = await import('./direct-api-deps.js');
      const { api, apiKey } = await openDirectApi({ rig, s3: client, rawBucket: base.endpoints().rawBucket, logger });
      // The client is the profile's storage's: it is released when the services close.
      return { api, apiKey, close: () => undefined };
    },
  };
}
