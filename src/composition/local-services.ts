/**
 * The local profile: the running embedded stack's loopback endpoints and its own credentials
 * (composition.ts), rig keys in $RECPIPE_HOME/local/keys.json (usable with or without a running
 * stack), and DuckDB over a mirror of the lake's catalog.
 */
import type { Config } from '../config/schema.js';
import { localDir } from '../local/stack-info.js';
import { resolveEndpoints } from './endpoints.js';
import { profileServices } from './profile-services.js';
import type { Services } from './services.js';

export function localServices(config: Config): Services {
  return profileServices(config, {
    profile: 'local',
    endpoints: () => resolveEndpoints(config),
    defaultEngine: 'duckdb',
    keyStore: async () => {
      const { FileKeyStore, keysFilePath } = await import('../local/stores/file-key-store.js');
      const path = keysFilePath(localDir(config.home));
      return { store: new FileKeyStore(path), where: path };
    },
  });
}
