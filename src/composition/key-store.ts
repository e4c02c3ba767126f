/**
 * The profile's store of enrolled rig keys, for `recpipe keys`: local keeps them in
 * $RECPIPE_HOME/local/keys.json (usable with or without a running stack), aws in DynamoDB.
 */
import type { Config } from '../config/schema.js';
import type { KeyStore } from '../backend/ports.js';
import { FileKeyStore, keysFilePath } from '../backend/keys/file-key-store.js';
import { localDir } from '../local/stack-info.js';

/** Where the profile keeps its keys, and a human name for it. */
export async function openKeyStore(config: Config): Promise<{ store: KeyStore; where: string }> {
  if (config.profile === 'local') {
    const path = keysFilePath(localDir(config.home));
    return { store: new FileKeyStore(path), where: path };
  }
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoKeyStore } = await import('../adapters/aws/dynamo-key-store.js');
  return { store: new DynamoKeyStore(config.keysTable, new DynamoDBClient({ region: config.region })), where: `DynamoDB table ${config.keysTable}` };
}
