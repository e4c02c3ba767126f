/**
 * Builds S3 clients. The only place S3Client is constructed, so every client gets the same
 * safe settings: path-style addressing on loopback endpoints, and checksums calculated only
 * when required (otherwise the SDK bakes an empty-body CRC32 into presigned URLs and streams
 * aws-chunked bodies that non-AWS endpoints store verbatim).
 */
import { S3Client } from '@aws-sdk/client-s3';

export interface S3Settings {
  region: string;
  /** Custom endpoint (the local stack's gateway); undefined means AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

export function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    credentials: settings.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: settings.maxAttempts ?? 3,
    // A stalled connection fails (and is retried) instead of hanging the command for ever.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}
