/**
 * What `recpipe pull` reads from. Presigned GET URLs for the fast reader are signed here when
 * the endpoint is the local stack's (path-style, static credentials) and by the SDK otherwise;
 * the S3 client itself is loaded only when something needs it (small files, a fallback, AWS),
 * so a pull of large files on the local stack starts 0.1 s sooner.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { Clock, ObjectStore } from '../core/ports.js';
import { systemClock } from '../adapters/memory/clock.js';
import type { S3Settings } from '../adapters/s3/client.js';
import type { S3ObjectStore } from '../adapters/s3/object-store.js';
import { presignPathStyleGet } from '../adapters/s3/presign-get.js';

export type PullSource = Pick<ObjectStore, 'getStream' | 'presignGet'>;

export class LakeSource implements PullSource {
  private sdk?: Promise<{ client: S3Client; store: S3ObjectStore }>;

  constructor(
    private readonly s3: S3Settings,
    readonly bucket: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async presignGet(key: string, expiresInSec: number): Promise<string> {
    const { endpoint, credentials, region } = this.s3;
    if (endpoint && credentials) return presignPathStyleGet({ endpoint, region, bucket: this.bucket, key, credentials, expiresInSec, now: this.clock.now() });
    return (await this.store()).store.presignGet(key, expiresInSec);
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return (await this.store()).store.getStream(key, range);
  }

  async close(): Promise<void> {
    if (this.sdk) (await this.sdk).client.destroy();
  }

  private store(): Promise<{ client: S3Client; store: S3ObjectStore }> {
    this.sdk ??= (async () => {
      // One after the other: Jest's ESM loader fails two dynamic imports that link the same module
      // (@aws-sdk/client-s3) at once ("request for ... is not in cache"); Node does not mind.
      const { openS3Client } = await import('../composition/storage.js');
      const { S3ObjectStore } = await import('../adapters/s3/object-store.js');
      const client = openS3Client(this.s3);
      return { client, store: new S3ObjectStore(client, this.bucket) };
    })();
    return this.sdk;
  }
}
