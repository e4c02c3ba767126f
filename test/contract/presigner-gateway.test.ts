import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { S3ObjectStore } from '../../src/adapters/s3/object-store.js';
import { S3Presigner } from '../../src/adapters/s3/presigner.js';
import { systemClock } from '../../src/adapters/system/clock.js';
import { startS3Service, type S3Service } from '../../src/local/s3/service.js';
import { PutTransport } from '../../src/features/ingest/put-transport.js';
import { describePresignerContract } from './presigner.contract.js';
import { tempDir } from '../helpers/tmp.js';

const credentials = { accessKeyId: 'RPPRESIGN', secretAccessKey: 'presign-secret' };
const buckets = { raw: 'presign-raw', lake: 'presign-lake' };
let svc: S3Service;
let client: S3Client;
/** How far the gateway's clock runs ahead of the wall clock (expire() moves it). */
let skew = 0;
const transport = new PutTransport();

beforeAll(async () => {
  svc = await startS3Service({ dataDir: tempDir('rp-presign-'), credentials, region: 'us-east-1', buckets, minPartSize: 1, now: () => Date.now() + skew });
  client = createS3Client({ region: 'us-east-1', endpoint: svc.url, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  transport.close();
  client.destroy();
  await svc.close();
});

describePresignerContract('S3Presigner against the real verifying gateway (sent by the rig transport)', async () => {
  skew = 0;
  const raw = new S3ObjectStore(client, buckets.raw);
  return {
    presigner: new S3Presigner(client, buckets.raw, systemClock),
    send: async (req, body, headers) => {
      if (req.method === 'POST') await transport.complete(req);
      else await transport.put({ ...req, headers: headers ?? req.headers }, { buffer: body });
    },
    // Read on the wall clock: the SDK signs with it, and the gateway refuses a skewed signature.
    stored: async (key) => {
      const was = skew;
      skew = 0;
      try {
        return (await raw.head(key)) ? await raw.get(key) : undefined;
      } finally {
        skew = was;
      }
    },
    expire: () => (skew += 2 * 3600_000),
  };
});
