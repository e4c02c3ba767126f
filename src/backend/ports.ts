/**
 * Capabilities the backend handlers need besides the raw ObjectStore (core/ports.ts).
 * Adapters: src/adapters/s3/presigner.ts, src/adapters/memory/*, src/adapters/aws/*,
 * and the file adapters under src/backend/keys and src/backend/auth for the local stack.
 */
import type { Checksum, PresignedRequest } from '../core/api.js';
import type { PresignedPart } from '../core/api-batch.js';

/** An enrolled API key as stored: never the key itself, only the SHA-256 (hex) of the whole key. */
export interface ApiKeyRecord {
  /** The 12-character id embedded in the key (`rpk_<id>_<secret>`). */
  id: string;
  rig: string;
  /** SHA-256 of the whole key string, lowercase hex. */
  hash: string;
  label?: string;
  /** ISO-8601 */
  createdAt: string;
  /** ISO-8601; a revoked key can neither authenticate nor keep its tokens alive. */
  revokedAt?: string;
}

/**
 * Where API keys live. Contract:
 * - `create` throws RecpipeError('conflict') when the id exists;
 * - `get` returns undefined for an unknown id and always reads current state (a revoke made by
 *   another process is seen on the next call);
 * - `revoke` throws RecpipeError('not_found') for an unknown id, and is idempotent otherwise
 *   (the first revocation time is kept);
 * - `list` returns every record, sorted by createdAt then id.
 */
export interface KeyStore {
  create(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: Date): Promise<ApiKeyRecord>;
}

/** The HMAC secret tokens are signed with (at least 32 bytes). Adapters may cache it. */
export interface SecretProvider {
  tokenSecret(): Promise<Buffer>;
}

export interface PresignPutInput {
  key: string;
  size: number;
  checksum: Checksum;
  expiresInSec: number;
}
export interface PresignPartInput {
  key: string;
  uploadId: string;
  partNumber: number;
  size: number;
  /** CRC32C of the part, base64 (multipart uploads are started with ChecksumAlgorithm CRC32C). */
  checksum: Checksum;
  expiresInSec: number;
}
/** Many parts of one upload at once (a batch): each part's length and CRC32C signed, as in presignPart. */
export interface PresignPartsInput {
  key: string;
  uploadId: string;
  parts: { partNumber: number; size: number; checksum: Checksum }[];
  expiresInSec: number;
}
export interface CompletePartInput {
  partNumber: number;
  etag: string;
  checksum: Checksum;
}
export interface PresignCompleteInput {
  key: string;
  uploadId: string;
  /** The parts to list: the answer then carries the body (and its length). Absent: signed ahead, the client writes the body. */
  parts?: CompletePartInput[];
  expiresInSec: number;
}

/**
 * Signs upload requests for the raw bucket and drives multipart uploads. Every presigned request
 * binds the body length and checksum as signed headers, and single PUTs also `If-None-Match: *`,
 * so the store rejects a wrong body or an overwrite. `completeMultipart` refuses to overwrite an
 * existing object (RecpipeError('conflict')); an unknown or finished upload is
 * RecpipeError('not_found'). `presignComplete` signs the same completion (If-None-Match: *) as a
 * POST, with its exact body and length when given the parts, for the client to send to the store
 * itself. `presignParts` signs many parts of one upload, each as `presignPart` would.
 * `abortMultipart` ends an open upload: no part or completion of it succeeds afterwards; an
 * upload that is unknown, completed or aborted already is left as it is (no error).
 */
export interface Presigner {
  presignPut(input: PresignPutInput): Promise<PresignedRequest>;
  startMultipart(key: string): Promise<{ uploadId: string }>;
  presignPart(input: PresignPartInput): Promise<PresignedRequest>;
  presignParts(input: PresignPartsInput): Promise<PresignedPart[]>;
  completeMultipart(key: string, uploadId: string, parts: CompletePartInput[]): Promise<{ etag?: string }>;
  presignComplete(input: PresignCompleteInput): Promise<PresignedRequest>;
  abortMultipart(key: string, uploadId: string): Promise<void>;
}
