/**
 * POST /v1/uploads/batch: the URLs for many files and parts of one session in one call, so an
 * upload asks the API a few times per session instead of once per part (a distant API costs a
 * round trip per call). Shared by the client adapter and the backend handler.
 *
 * Per file, any of: a single PUT (`put`, its size and SHA-256 or CRC32C), the start of a
 * multipart upload (`start`, its declared size and part size), part URLs (`parts`: numbers and
 * the CRC32C of each part's bytes; each part's length follows from the upload's plan and is
 * signed), and the upload's CompleteMultipartUpload (`complete`, signed with If-None-Match;
 * the client writes its body, core/ingest/complete-xml.ts). Parts and completions of an upload
 * begun earlier carry its `ticket` (the start's answer): the API's signed record of the key,
 * upload id, declared size and part size, which bounds every part it signs.
 *
 * The whole batch is checked before anything is signed: names, the session being open (once per
 * batch, for plain keys), the daily quota (charged once per batch: each single PUT its size, each
 * start its declared size), ticket and plan. Any refusal refuses the batch, nothing signed.
 */
import type { Checksum, PresignedRequest, SessionState } from './api.js';

/** Most files, and most part URLs, one batch may ask for (the answer stays well under 2 MB). */
export const MAX_BATCH_FILES = 1000;
export const MAX_BATCH_PARTS = 2000;

export interface BatchPartRequest {
  partNumber: number;
  /** CRC32C of the part's bytes. */
  checksum: Checksum;
}

export interface BatchFileRequest {
  file: string;
  /** Store under this attempt's key instead of the plain one (layout.ts rawFileKey). */
  attempt?: string;
  put?: { size: number; checksum: Checksum };
  /** `partSize`: the length of every part but the last (planParts' effective size). */
  start?: { size: number; partSize: number };
  /** An upload begun earlier: the ticket its start answered with. */
  ticket?: string;
  parts?: BatchPartRequest[];
  complete?: boolean;
}

export interface UploadBatchRequest {
  session: string;
  files: BatchFileRequest[];
  /**
   * Also answer what the store holds (GET /v1/sessions/{session}'s answer), so an upload's first
   * batch costs no separate call. A committed session is then answered with its state and
   * nothing signed (not refused): the client goes on to compare or revise.
   */
  state?: boolean;
}

export type PresignedPart = PresignedRequest & { partNumber: number };

/** One answer per requested file, in the order asked. */
export interface BatchFileResponse {
  file: string;
  attempt?: string;
  key: string;
  put?: PresignedRequest;
  /** Started here: the upload id and its ticket (keep both; the ticket goes with every later batch). */
  uploadId?: string;
  ticket?: string;
  parts?: PresignedPart[];
  /** POST without a body: send `completeMultipartXml(parts)` with it. */
  complete?: PresignedRequest;
}

export interface UploadBatchResponse {
  files: BatchFileResponse[];
  /** The API's clock when it signed (ISO-8601): the client judges `expiresAt` against it, not its own clock. */
  signedAt: string;
  /** When asked for: the session as the store holds it (listed before anything was signed). */
  state?: SessionState;
}
