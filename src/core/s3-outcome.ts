/**
 * The one S3 outcome classifier. Every path that talks to S3 (the SDK adapters in
 * adapters/s3, the presigned PUT/POST transport in ingest/put-transport.ts, the raw GET reader
 * in adapters/http/raw-get.ts) turns what came back (an HTTP status, S3's error code and message,
 * or a failure below HTTP) into an answer here, so a status or code means the same thing on every
 * path and `retryable` is decided in one place. test/contract/s3-outcome.test.ts runs one table
 * through all three paths against a local server.
 *
 * Retryable: throttling (503, 429, SlowDown and the other throttling codes AWS SDKs retry),
 * server errors (5xx, InternalError, RequestTimeout) and network failures. Never retryable as
 * sent: a checksum the store did not see (the bytes must be read again from the source), parts
 * that do not match, a precondition, a refusal (403), a missing key or upload, any other 4xx.
 * An expired presigned URL is retryable once re-presigned (`urlExpired` in the error's details).
 */
import { RecpipeError, type ErrorCode } from './errors.js';

/** What an S3 request came to, by what the caller should do about it. */
export type S3OutcomeKind =
  'ok' | 'not-found' | 'no-such-upload' | 'conflict' | 'forbidden' | 'expired' | 'integrity' | 'bad-parts' | 'throttled' | 'server' | 'network' | 'bad-request';

/** What came back from one S3 request. */
export interface S3Answer {
  /** The HTTP status; absent when no answer came. */
  status?: number;
  /** S3's error code (the `<Code>` of its XML body, or the SDK error's name). */
  code?: string;
  /** S3's `<Message>`, or the failure's own message. */
  message?: string;
  /** A failure below HTTP (a socket error's code or the SDK's name for it): no answer came. */
  network?: string;
}

export interface S3Outcome {
  kind: S3OutcomeKind;
  /** The RecpipeError code the outcome is thrown as. */
  error: ErrorCode;
  retryable: boolean;
  /** What S3 said, for messages and details: its code, else the status, else the network error. */
  said: string;
}

/** Per kind: the RecpipeError code and whether the same request may be sent again. */
const TABLE: Record<S3OutcomeKind, { error: ErrorCode; retryable: boolean }> = {
  ok: { error: 'internal', retryable: false },
  'not-found': { error: 'not_found', retryable: false },
  'no-such-upload': { error: 'not_found', retryable: false },
  conflict: { error: 'conflict', retryable: false },
  forbidden: { error: 'forbidden', retryable: false },
  expired: { error: 'token_expired', retryable: true },
  integrity: { error: 'integrity', retryable: false },
  'bad-parts': { error: 'integrity', retryable: false },
  throttled: { error: 'unavailable', retryable: true },
  server: { error: 'unavailable', retryable: true },
  network: { error: 'unavailable', retryable: true },
  'bad-request': { error: 'failed', retryable: false },
};

/** The store received other bytes than the request declared ("BadDigest": the checksum "did not match"). */
const INTEGRITY = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentSHA256Mismatch', 'IncompleteBody']);
/** A multipart completion that lists parts S3 does not hold as listed. */
const BAD_PARTS = new Set(['InvalidPart', 'InvalidPartOrder']);
const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);
/** 409 ConditionalRequestConflict: another conditional write of the key ran at the same time. */
const CONFLICT = new Set(['PreconditionFailed', 'ConditionalRequestConflict']);
/** The throttling codes AWS SDKs back off on, and S3's 503 codes. */
const THROTTLED = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
/** Transient server-side codes (S3's RequestTimeout is a 400 that a new connection fixes). */
const SERVER = new Set(['InternalError', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError']);

/** Classifies one answer (pure: the table test runs it without I/O). */
export function classifyS3(a: S3Answer): S3Outcome {
  const kind = kindOf(a);
  return { kind, ...TABLE[kind], said: a.code || (a.status !== undefined ? String(a.status) : (a.network ?? 'no answer')) };
}

function kindOf({ status, code = '', message = '', network }: S3Answer): S3OutcomeKind {
  if (status === undefined) return network !== undefined ? 'network' : SERVER.has(code) ? 'server' : THROTTLED.has(code) ? 'throttled' : 'bad-request';
  if (INTEGRITY.has(code)) return 'integrity';
  if (BAD_PARTS.has(code)) return 'bad-parts';
  if (code === 'NoSuchUpload') return 'no-such-upload';
  // S3 may answer 200 and put the error in the body (CompleteMultipartUpload): the code decides.
  if (status >= 200 && status < 300 && !code) return 'ok';
  if (status === 404 || NOT_FOUND.has(code)) return 'not-found';
  if (status === 412 || status === 409 || CONFLICT.has(code)) return 'conflict';
  // S3 answers an expired presigned URL 403 AccessDenied "Request has expired".
  if (status === 403 && /expired/i.test(message)) return 'expired';
  if (status === 403) return 'forbidden';
  if (status === 503 || status === 429 || THROTTLED.has(code)) return 'throttled';
  // A request shape S3 does not implement (a header, a checksum type): permanent, not a server fault.
  if (status === 501 || code === 'NotImplemented') return 'bad-request';
  if (status >= 500 || SERVER.has(code) || (status >= 200 && status < 300)) return 'server';
  return 'bad-request';
}

/** `<Code>` and `<Message>` of an S3 XML error body (empty when there is none). */
export function parseS3ErrorBody(body: string): { code?: string; message?: string } {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/** Wording of an outcome's error: `what` names the object (and `answer` what the store said). */
export type S3Words = Partial<Record<S3OutcomeKind, (what: string, answer: S3Answer, said: string) => { message: string; hint?: string }>>;

const DEFAULT_WORDS: Required<S3Words> = {
  ok: (what) => ({ message: `${what}: no error` }),
  'not-found': (what) => ({ message: `${what} does not exist` }),
  'no-such-upload': (what) => ({ message: `no such multipart upload for ${what} (it was completed or aborted)`, hint: 'start the file again' }),
  conflict: (what) => ({ message: `${what} was changed or already exists (precondition failed); recpipe never overwrites it` }),
  forbidden: (what, a) => ({ message: `${what}: ${a.message || 'access denied'}`, hint: 'check the credentials and the bucket policy' }),
  expired: (what) => ({ message: `presigned URL for ${what} expired` }),
  integrity: (what, a, said) => ({
    message: `${what}: ${a.message || said}`,
    hint: 'the bytes sent did not match their declared checksum; send them again from the source',
  }),
  'bad-parts': (what, _a, said) => ({
    message: `store rejected the parts of ${what}: ${said}`,
    hint: 'the parts do not match what was uploaded; upload them again',
  }),
  throttled: (what, a, said) => ({ message: `${what}: ${a.message || said}`, hint: 'the object store asked for a slower pace; it is retried automatically' }),
  server: (what, a, said) => ({ message: `${what}: ${a.message || said}`, hint: 'the object store is unreachable or busy; it is retried automatically' }),
  network: (what, a, said) => ({ message: `${what}: ${a.message || said}`, hint: 'the object store is unreachable or busy; it is retried automatically' }),
  'bad-request': (what, a, said) => ({ message: `${what}: ${a.message || said}` }),
};

/**
 * The RecpipeError for an answer that is not `ok`: code and `retryable` from the classifier,
 * wording from `words` (a path's own, where it knows more, e.g. that the bytes came from a rig
 * file) or the defaults. Details carry `s3` (what the store said) and `outcome` (the kind), which
 * callers test instead of reading strings (`s3OutcomeOf`).
 */
export function s3Error(answer: S3Answer, what: string, o: { words?: S3Words; cause?: unknown } = {}): RecpipeError {
  const out = classifyS3(answer);
  const { message, hint } = (o.words?.[out.kind] ?? DEFAULT_WORDS[out.kind])(what, answer, out.said);
  return new RecpipeError(out.error, message, {
    retryable: out.retryable,
    fault: out.error === 'failed' || out.error === 'integrity' ? 'system' : undefined,
    hint,
    cause: o.cause,
    details: { s3: out.said, outcome: out.kind, ...(out.kind === 'expired' ? { urlExpired: true } : {}) },
  });
}

/** The outcome an error was classified as, if it came from an S3 answer. */
export function s3OutcomeOf(e: unknown): S3OutcomeKind | undefined {
  return e instanceof RecpipeError ? (e.details?.outcome as S3OutcomeKind | undefined) : undefined;
}
