/**
 * Names that end up in object keys. Validated on the client and again on the server, so a file
 * name can never escape its session prefix and a rig name can never escape its rig prefix.
 */
import { RecpipeError } from './errors.js';
import { hiddenCharacterProblem, quoteName } from './hidden-chars.js';

export { quoteName } from './hidden-chars.js';

/** Rig names: lowercase letters, digits and dashes, 1-63 chars, starting with a letter or digit. */
export const RIG_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Longest accepted file name in UTF-8 bytes. A file name is the last segment of every key it
 * reaches (`raw/<rig>/<session>/_attempts/<id>/<file>`: at most 127 bytes of prefix, far below
 * S3's 1,024), and the local stack's store keeps that segment as a file name plus a suffix of up
 * to 22 bytes within the file system's 255 (src/local/s3/rules/key.ts): a longer name answered
 * 500 and broke listing. 233 also leaves room for recpipe's own companions of a file on disk
 * (`<name>.part.ranges` on pull, `<name>.<pid>.<hex>.tmp` atomic writes).
 */
export const MAX_FILE_NAME_BYTES = 233;

/** Names the tool reserves inside a session prefix. */
export const RESERVED_FILE_NAMES = new Set(['_manifest.json']);

/** The length rule of file names on its own: a problem description, or undefined. */
export function fileNameLengthProblem(name: string, limit = MAX_FILE_NAME_BYTES): string | undefined {
  const bytes = Buffer.byteLength(name, 'utf8');
  return bytes > limit ? `is ${bytes} bytes long, over the ${limit}-byte limit` : undefined;
}

/**
 * The limit before the stand-in's was measured: on AWS a name of up to 255 bytes may already be
 * archived, and an archived name stays readable (processing, pull, key building).
 */
const ARCHIVED_FILE_NAME_BYTES = 255;

/**
 * Returns a problem description, or undefined when `name` is an acceptable session file name.
 * `archived`: the name of an object already stored, read back (processing, pull, key building):
 * names archived before hidden characters were refused stay readable; the structural rules that
 * keep a key inside its prefix still apply.
 */
export function fileNameProblem(name: string, o: { archived?: boolean } = {}): string | undefined {
  if (name.length === 0) return 'is empty';
  const tooLong = fileNameLengthProblem(name, o.archived ? ARCHIVED_FILE_NAME_BYTES : MAX_FILE_NAME_BYTES);
  if (tooLong) return tooLong;
  if (name === '.' || name === '..') return 'is a relative path component';
  if (/[/\\]/.test(name)) return 'contains a path separator';
  const hidden = o.archived ? undefined : hiddenCharacterProblem(name);
  if (hidden) return hidden;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  // A lone UTF-16 surrogate (possible in JSON, never in a file name read from disk) has no UTF-8
  // form: no key, URL or signature can carry it.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  if (name !== name.normalize('NFC')) return 'is not in Unicode NFC form';
  if (RESERVED_FILE_NAMES.has(name)) return 'is reserved by recpipe';
  return undefined;
}

/** Throws `invalid_name` when the file name is not acceptable (`archived`: see fileNameProblem). */
export function assertFileName(name: string, o: { archived?: boolean } = {}): string {
  const problem = fileNameProblem(name, o);
  if (problem) {
    throw new RecpipeError('invalid_name', `invalid file name ${quoteName(name)}: it ${problem}`, {
      hint: `rename the file to a plain name without separators, control or invisible characters or "..", at most ${MAX_FILE_NAME_BYTES} bytes`,
    });
  }
  return name;
}

export function rigNameProblem(rig: string): string | undefined {
  return RIG_NAME.test(rig) ? undefined : 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit';
}

export function assertRigName(rig: string): string {
  const problem = rigNameProblem(rig);
  if (problem) throw new RecpipeError('invalid_name', `invalid rig name ${JSON.stringify(rig)}: it ${problem}`, { hint: 'use a name like "rig-01"' });
  return rig;
}
