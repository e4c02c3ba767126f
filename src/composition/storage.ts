/**
 * The S3 side of a profile: one client (the only call of createS3Client outside the adapter)
 * and the raw and lake buckets as object stores over it. Whoever opens a Storage closes it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type S3Settings } from '../adapters/s3/client.js';
import { S3ObjectStore } from '../adapters/s3/object-store.js';

export interface Storage {
  client: S3Client;
  raw: S3ObjectStore;
  lake: S3ObjectStore;
  /** Destroys the client (its sockets); the stores are unusable afterwards. */
  close(): void;
}

/** Where a profile's objects are: the S3 settings and the two buckets. */
export interface StorageTarget {
  s3: S3Settings;
  rawBucket: string;
  lakeBucket: string;
}

/** Builds the profile's S3 client. Every S3 client of recpipe is built here. */
export function openS3Client(s3: S3Settings): S3Client {
  return createS3Client(s3);
}

export function openStorage(t: StorageTarget): Storage {
  const client = openS3Client(t.s3);
  return { client, raw: new S3ObjectStore(client, t.rawBucket), lake: new S3ObjectStore(client, t.lakeBucket), close: () => client.destroy() };
}

/** Runs `fn` with the profile's storage and closes it afterwards, also on failure. */
export async function withStorage<T>(t: StorageTarget, fn: (s: Storage) => Promise<T>): Promise<T> {
  const s = openStorage(t);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}
