/**
 * The ingestion API's wire contract (JSON over HTTPS), shared by the client adapter and the
 * backend handlers. The same handlers serve the local stack and the Lambdas.
 *
 *   POST /v1/auth                     AuthRequest          -> AuthResponse        (no token)
 *   GET  /v1/sessions/{session}       -                    -> SessionState
 *   POST /v1/presign                  PresignPutRequest    -> PresignedRequest    single PUT
 *   POST /v1/multipart/start          StartMultipartRequest-> StartMultipartResponse
 *   POST /v1/multipart/part           PresignPartRequest   -> PresignedRequest    one part URL
 *   POST /v1/uploads/batch            UploadBatchRequest   -> UploadBatchResponse many URLs at once
 *                                     (api-batch.ts: starts, parts, completions, single PUTs)
 *   POST /v1/multipart/complete       CompleteMultipartRequest -> CompleteMultipartResponse
 *                                     (idempotent; with `presigned: true` it returns the S3
 *                                     request that completes the upload instead of completing it)
 *   POST /v1/commit                   CommitRequest        -> CommitResponse      writes the manifest
 *   POST /v1/events                   EventsRequest        -> EventsResponse      client logs -> cloud log
 *
 * Every route but /v1/auth needs `Authorization: Bearer <token>`; the token names the rig, and
 * every key the server signs is under raw/<that rig>/. Errors are `ApiErrorBody` with an HTTP
 * status: 400 bad request, 401 bad/expired token (code token_expired means: authenticate again),
 * 403 forbidden, 404, 409 conflict, 429/503 retry later.
 * Commit specifics: manifest for another rig -> 403; malformed manifest -> 400 invalid_session
 * (details.problems); stored size or SHA-256 differs -> 400 integrity; listed files not stored
 * yet -> 409 conflict (details.missing); committed with other content -> 409 conflict
 * (details.files); same content -> 200 already_committed. A manifest with `revision` n >= 2
 * archives content written after the commit (core/session/revisions.ts): 409 conflict when
 * revision n-1 is not committed, 400 invalid_session when it breaks the revision rules.
 * Signing routes (completion included) refuse plain keys of a committed session; attempt keys
 * stay open for revisions.
 * A 500 carries only a request id.
 */
import type { ErrorCode } from './errors.js';
import type { ClientEvent } from './events/rig-events.js';
import type { Manifest } from './session/manifest-types.js';

export type ChecksumAlgorithm = 'SHA256' | 'CRC32C';

/** A checksum as S3 wants it in `x-amz-checksum-*`: base64 of the big-endian digest. */
export interface Checksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

export interface AuthRequest {
  apiKey: string;
}
export interface AuthResponse {
  token: string;
  rig: string;
  /** ISO-8601 expiry; clients re-authenticate a little before it. */
  expiresAt: string;
}

export interface RemoteObject {
  name: string;
  size: number;
}
/** An object stored under an upload attempt's key (layout.ts). */
export interface RemoteAttemptObject extends RemoteObject {
  attempt: string;
}
export interface SessionState {
  session: string;
  rig: string;
  committed: boolean;
  /** The newest committed manifest (the newest revision) when committed. */
  manifest?: Manifest;
  /** The newest committed revision (1 = only the first commit) when committed. */
  revision?: number;
  /** Objects already stored under the session prefix (complete objects only). */
  objects: RemoteObject[];
  /** Objects stored under attempt keys (files re-sent because they changed before the commit). */
  attempts?: RemoteAttemptObject[];
}

export interface PresignPutRequest {
  session: string;
  file: string;
  /** Store under this attempt's key instead of the plain one (layout.ts rawFileKey). */
  attempt?: string;
  size: number;
  checksum: Checksum;
}

/**
 * A presigned request: send exactly these headers, with a body of exactly `size` bytes (PUT),
 * or with `body` as given (POST: a CompleteMultipartUpload).
 */
export interface PresignedRequest {
  url: string;
  method: 'PUT' | 'POST';
  headers: Record<string, string>;
  expiresAt: string;
  key: string;
  /** POST only: the exact request body (XML). */
  body?: string;
}

export interface StartMultipartRequest {
  session: string;
  file: string;
  /** Store under this attempt's key instead of the plain one (layout.ts rawFileKey). */
  attempt?: string;
  size: number;
  /** Every part but the last has this length; absent: one part of `size` bytes. */
  partSize?: number;
}
export interface StartMultipartResponse {
  uploadId: string;
  key: string;
  /**
   * The API's signed record of this upload (key, upload id, declared size, part size). Part
   * requests and batches must carry it: the API signs only the parts the declaration allows,
   * each with its planned length, so no upload carries more bytes than it declared.
   */
  ticket: string;
}

export interface PresignPartRequest {
  session: string;
  file: string;
  /** Store under this attempt's key instead of the plain one (layout.ts rawFileKey). */
  attempt?: string;
  uploadId: string;
  /** The start's ticket: `partNumber` and `size` must be a part of its plan. */
  ticket: string;
  partNumber: number;
  size: number;
  checksum: Checksum;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
  checksum: Checksum;
}
export interface CompleteMultipartRequest {
  session: string;
  file: string;
  /** Store under this attempt's key instead of the plain one (layout.ts rawFileKey). */
  attempt?: string;
  uploadId: string;
  /** The start's ticket; when given, it must name this file and upload id. */
  ticket?: string;
  parts: CompletedPart[];
  /**
   * Ask for a presigned CompleteMultipartUpload to send to the store instead of having the API
   * complete it: assembling a big object can outlast API Gateway's 30 s integration timeout.
   */
  presigned?: boolean;
}
/**
 * `completed`: the object is stored and is exactly these parts (also when an earlier call
 * already completed it: completing is idempotent). `pending`: send `request` to the store, then
 * ask again if its answer is lost or an error.
 */
export interface CompleteMultipartResponse {
  key: string;
  etag?: string;
  status?: 'completed' | 'pending';
  request?: PresignedRequest;
}

export interface CommitRequest {
  manifest: Manifest;
}
export interface CommitResponse {
  status: 'committed' | 'already_committed';
  key: string;
  /** The revision written or found (2 and up; absent for a first commit). */
  revision?: number;
  /** SHA-256 (hex) of the manifest bytes as stored. */
  manifestSha256: string;
}

/** A client-side event shipped to the cloud log, one of those declared in events/rig-events.ts. Never holds secrets. */
export type { ClientEvent };
export interface EventsRequest {
  events: ClientEvent[];
}
export interface EventsResponse {
  accepted: number;
  /** Events past the rig's event budget, dropped (absent when none was). */
  dropped?: number;
}

/**
 * `details` (machine-readable, e.g. `{missing: [...]}` on a commit before all files are stored)
 * and `requestId` (to find the server's log line) were added by the backend; both optional.
 */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; hint?: string; retryable?: boolean; details?: Record<string, unknown>; requestId?: string };
}

/** The route paths above, for the client adapter and the router (`{session}` is one URL-encoded segment). */
export const API_ROUTES = {
  auth: '/v1/auth',
  sessionState: '/v1/sessions/{session}',
  presign: '/v1/presign',
  multipartStart: '/v1/multipart/start',
  multipartPart: '/v1/multipart/part',
  multipartComplete: '/v1/multipart/complete',
  uploadBatch: '/v1/uploads/batch',
  commit: '/v1/commit',
  events: '/v1/events',
} as const;
