/**
 * Which object keys may be stored. S3 takes any UTF-8 key up to 1,024 bytes (KeyTooLongError
 * above). s3rver, the stand-in's storage, keeps each key as folders and files: every segment
 * between slashes is a folder name and the last one a file name with a suffix of up to 22 bytes
 * (`<name>._S3rver_metadata.json`), each within the file system's name limit (255 bytes on
 * Linux). A longer last segment used to be half-written (data without metadata) and then broke
 * every listing of its folder; such keys, and keys whose segments the file system would resolve
 * (`.`, `..`, empty) or that collide with s3rver's own files, are refused here before anything
 * is written. Those are the stand-in's limits, not S3's (docs/aws-parity.md says so).
 */
import { failure, type S3Failure } from './failure.js';

/** S3's longest key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** s3rver's longest per-object file suffix: `<last segment>._S3rver_metadata.json`. */
export const STORE_SUFFIX_BYTES = Buffer.byteLength('._S3rver_metadata.json');

/** The file system's longest file name (NAME_MAX) under the store, found at start-up. */
export interface KeyLimits {
  nameMax: number;
}

/** The longest last key segment the stand-in can store under `limits`. */
export function maxLastSegmentBytes(limits: KeyLimits): number {
  return limits.nameMax - STORE_SUFFIX_BYTES;
}

/** Undefined when `key` can be stored; else S3's (or the stand-in's) refusal. */
export function keyProblem(key: string, limits: KeyLimits): S3Failure | undefined {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES) return failure(400, 'KeyTooLongError', 'Your key is too long', { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(size) });
  const segments = key.split('/');
  const last = segments.pop()!;
  const lastMax = maxLastSegmentBytes(limits);
  if (Buffer.byteLength(last, 'utf8') > lastMax)
    return failure(
      400,
      'KeyTooLongError',
      `the local stack stores the last segment of a key as a file name of at most ${lastMax} bytes (this one has ${Buffer.byteLength(last, 'utf8')}); S3 allows it, the stand-in cannot`,
      { MaxSizeAllowed: String(lastMax), Size: String(Buffer.byteLength(last, 'utf8')) },
    );
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..')
      return failure(400, 'InvalidArgument', `the local stack cannot store a key with an empty, "." or ".." segment (${JSON.stringify(s)}); S3 allows it`);
    if (Buffer.byteLength(s, 'utf8') > limits.nameMax)
      return failure(400, 'KeyTooLongError', `the local stack stores each key segment as a folder name of at most ${limits.nameMax} bytes; S3 allows longer`);
  }
  if (last === '.' || last === '..') return failure(400, 'InvalidArgument', `the local stack cannot store a key ending in "${last}"; S3 allows it`);
  if (key.includes('._S3rver_'))
    return failure(400, 'InvalidArgument', 'keys containing "._S3rver_" are reserved by the local stack (s3rver files); S3 allows them');
  return undefined;
}
