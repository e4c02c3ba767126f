import { join } from 'node:path';
import { MemoryKeyStore } from '../../src/adapters/memory/key-store.js';
import { FileKeyStore } from '../../src/local/stores/file-key-store.js';
import { describeKeyStoreContract } from './key-store.contract.js';
import { tempDir } from '../helpers/tmp.js';

describeKeyStoreContract('MemoryKeyStore', () => new MemoryKeyStore());
describeKeyStoreContract(
  'FileKeyStore',
  () => new FileKeyStore(join(tempDir('rp-keys-'), 'local', 'keys.json')),
  (s) => new FileKeyStore((s as FileKeyStore).path),
);
