/**
 * Rules every request of a kind obeys before the gateway reads its body: a write declares its
 * length (S3: 411 MissingContentLength; over TLS Node sends a body of unknown length chunked,
 * which S3 refuses), an XML body stays small, and streaming (aws-chunked) bodies are refused.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { failure, type S3Failure } from './failure.js';

/** Largest XML request body accepted (CompleteMultipartUpload of 10,000 parts is about 2 MB). */
export const MAX_XML_BODY_BYTES = 4 * 1024 * 1024;

/** PUT and POST must say how long their body is; a POST body is XML and must stay small. */
export function lengthProblem(method: string, h: IncomingHttpHeaders): S3Failure | undefined {
  if (method !== 'PUT' && method !== 'POST') return undefined;
  const declared = h['content-length'];
  if (declared === undefined) return failure(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  if (method === 'POST' && Number(declared) > MAX_XML_BODY_BYTES) return failure(400, 'MaxMessageLengthExceeded', 'Your request was too big.');
  return undefined;
}

/** aws-chunked bodies (streaming signatures, trailing checksums) are not verified here. */
export function chunkedProblem(h: IncomingHttpHeaders, payloadHash: string): S3Failure | undefined {
  if (!/aws-chunked/.test(String(h['content-encoding'] ?? '')) && !payloadHash.startsWith('STREAMING-')) return undefined;
  return failure(400, 'InvalidRequest', 'aws-chunked bodies are not accepted here: set requestChecksumCalculation to WHEN_REQUIRED');
}
