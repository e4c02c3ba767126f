/**
 * The aws profile: the configured API, region and buckets with the standard credential chain
 * (composition.ts), rig keys in the DynamoDB table, and Athena over the Glue tables.
 */
import type { Config } from '../config/schema.js';
import { resolveEndpoints } from './endpoints.js';
import { profileServices } from './profile-services.js';
import type { Services } from './services.js';

export function awsServices(config: Config): Services {
  return profileServices(config, {
    profile: 'aws',
    endpoints: () => resolveEndpoints(config),
    defaultEngine: 'athena',
    keyStore: async () => {
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      const { DynamoKeyStore } = await import('../adapters/aws/dynamo-key-store.js');
      return { store: new DynamoKeyStore(config.keysTable, new DynamoDBClient({ region: config.region })), where: `DynamoDB table ${config.keysTable}` };
    },
  });
}
