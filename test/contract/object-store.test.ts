import { rmSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../src/adapters/s3/object-store.js';
import { MemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { startS3Service, type S3Service } from '../../src/local/s3/service.js';
import { describeObjectStoreContract } from './object-store.contract.js';
import { tempDir } from '../helpers/tmp.js';

const credentials = { accessKeyId: 'RPCONTRACT', secretAccessKey: 'contract-secret' };
const buckets = { raw: 'contract-raw', lake: 'contract-lake' };
let dataDir: string;
let svc: S3Service;
let client: S3Client;

beforeAll(async () => {
  dataDir = tempDir('rp-contract-');
  svc = await startS3Service({ dataDir, credentials, region: 'us-east-1', buckets });
  client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await svc.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// The lake bucket: the raw bucket is write-once on purpose, so "overwrite" differs there.
describeObjectStoreContract('S3ObjectStore on the local gateway', () => new S3ObjectStore(client, buckets.lake));
describeObjectStoreContract('MemoryObjectStore', () => new MemoryObjectStore('contract-memory'));
