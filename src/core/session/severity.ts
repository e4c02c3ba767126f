/**
 * The validation policy, in one place: which findings block a session and which only warn.
 *
 * A finding blocks when the session cannot be identified or read safely: its name is not a real
 * timestamp, there is not exactly one readable metadata file, a link or sub-folder could reach
 * outside it, or a file cannot be read as a plain file under a plain name. Everything else is a
 * problem in the *content* (a last frame cut short, a value a lab schema rejects, a metadata line
 * that does not parse): the bytes are still archived bit-identical, because raw bytes are the most
 * valuable thing in the system, and the finding travels with them as a warning (manifest,
 * catalog, processing provenance, `verify`). docs/data-format.md states the same policy.
 * The one exception is the lab's own: a schema field marked `"block": true` blocks on its
 * violations (the session waits on the rig, untouched, until its metadata is corrected).
 */
import type { Problem } from './validation-types.js';

/** Codes that stop a session from being uploaded. Any other code is a warning. */
export const BLOCKING_CODES: ReadonlySet<string> = new Set([
  'folder.missing',
  'folder.not_directory',
  'name.invalid',
  'file.bad_name',
  'file.symlink',
  'file.directory',
  'file.not_regular',
  'file.unreadable',
  'metadata.missing',
  'metadata.ambiguous',
  'metadata.too_large',
  'metadata.unreadable',
]);

/** The severity the policy gives a finding code. */
export function severityOf(code: string): Problem['severity'] {
  return BLOCKING_CODES.has(code) ? 'error' : 'warning';
}

/** The same problems with the policy's severity applied (and the lab schema's blocking rules). */
export function applyPolicy(problems: Problem[]): Problem[] {
  return problems.map((p) => ({ ...p, severity: p.blocking ? 'error' : severityOf(p.code) }));
}
