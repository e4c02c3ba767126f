/** The shape every route handler has, and what the handlers share. */
import type { S3Request } from '../request.js';
import type { S3Failure } from '../rules/failure.js';

/** Serves one request whose route and AWS rules already passed. */
export type Handler = (r: S3Request) => Promise<void>;

/** Tells S3Failure answers apart from values. */
export const isFailure = (v: unknown): v is S3Failure => typeof v === 'object' && v !== null && 'code' in v && 'status' in v && 'message' in v;

/** An object-created notification (S3 event notifications; processing listens to it). */
export type Announce = (bucket: string, key: string, size: number, etag: string) => void;
