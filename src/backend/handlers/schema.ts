/**
 * Small hand-written checks for request bodies. Each throws a RecpipeError that the router maps
 * to 400 and that names the field and the bad value.
 */
import type { Checksum, ChecksumAlgorithm } from '../../core/api.js';
import { RecpipeError } from '../../core/errors.js';
import { fileNameProblem, quoteName, MAX_FILE_NAME_BYTES } from '../../core/names.js';
import { parseSessionName } from '../../core/session/name.js';
import { assertAttempt } from '../../core/layout.js';

export type Body = Record<string, unknown>;

export const bad = (field: string, why: string, value?: unknown) =>
  new RecpipeError('usage', `invalid request: ${field} ${why}${value === undefined ? '' : ` (got ${JSON.stringify(value)?.slice(0, 80)})`}`, {
    hint: 'see the API contract in src/core/api.ts',
  });

export function object(value: unknown, field = 'body'): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(field, 'must be a JSON object');
  return value as Body;
}

export function string(body: Body, field: string, maxLength = 1024): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0) throw bad(field, 'must be a non-empty string', v);
  if (v.length > maxLength) throw bad(field, `is longer than ${maxLength} characters`);
  return v;
}

export function integer(body: Body, field: string, min: number, max: number): number {
  const v = body[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw bad(field, `must be a whole number from ${min} to ${max}`, v);
  return v;
}

/** The session folder name, re-validated on the server. */
export function sessionName(value: unknown, field = 'session'): string {
  if (typeof value !== 'string') throw bad(field, 'must be a string', value);
  const r = parseSessionName(value);
  if (!r.ok) {
    throw new RecpipeError('invalid_name', `invalid session name ${JSON.stringify(value.slice(0, 80))}: ${r.problem}`, {
      hint: 'session folders are named after the local start time, e.g. 20210228_161221',
    });
  }
  return value;
}

/** A plain file name inside the session, re-validated on the server (no separators, `..`, control chars). */
export function fileName(value: unknown, field = 'file'): string {
  if (typeof value !== 'string') throw bad(field, 'must be a string', value);
  const problem = fileNameProblem(value);
  if (problem) {
    throw new RecpipeError('invalid_name', `invalid file name ${quoteName(value.slice(0, 80))}: it ${problem}`, {
      hint: `rename the file to a plain name without separators, control or invisible characters or "..", at most ${MAX_FILE_NAME_BYTES} bytes`,
    });
  }
  return value;
}

/** The optional upload attempt of a request (its key then is the attempt's, layout.ts). */
export function attemptOf(body: Body): string | undefined {
  const v = body.attempt;
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad('attempt', 'must be a string', v);
  return assertAttempt(v);
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { SHA256: 32, CRC32C: 4 };

export function checksum(value: unknown, allowed: ChecksumAlgorithm[], field = 'checksum'): Checksum {
  const c = object(value, field);
  const algorithm = c.algorithm as ChecksumAlgorithm;
  if (!allowed.includes(algorithm)) throw bad(`${field}.algorithm`, `must be ${allowed.join(' or ')}`, c.algorithm);
  const v = c.value;
  if (
    typeof v !== 'string' ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(v) ||
    Buffer.from(v, 'base64').length !== DIGEST_BYTES[algorithm] ||
    Buffer.from(v, 'base64').toString('base64') !== v
  ) {
    throw bad(`${field}.value`, `must be the base64 ${algorithm} digest (${DIGEST_BYTES[algorithm]} bytes)`, v);
  }
  return { algorithm, value: v };
}

export const GiB = 1024 ** 3;
/** S3's limits: single PUT up to 5 GiB, parts 1..10000 of up to 5 GiB, objects up to 5 TiB. */
export const MAX_PUT_BYTES = 5 * GiB;
export const MAX_OBJECT_BYTES = 5 * 1024 * GiB;
export const MAX_PARTS = 10000;

/**
 * The part size a multipart start declares: at most S3's largest part, and few enough parts for
 * the declared size (10,000). Absent: one part of the whole size (the API then signs one part).
 */
export function partSizeOf(body: Body, size: number): number {
  if (body.partSize === undefined) {
    if (size > MAX_PUT_BYTES) throw bad('partSize', `is needed for a file over ${MAX_PUT_BYTES} bytes`);
    return size;
  }
  const partSize = integer(body, 'partSize', 1, MAX_PUT_BYTES);
  if (Math.ceil(size / partSize) > MAX_PARTS) throw bad('partSize', `cuts ${size} bytes into more than ${MAX_PARTS} parts`, partSize);
  return partSize;
}
