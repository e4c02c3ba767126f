/** How `query`, `pull` and `snapshot create` tell a person (or a script) that nothing matched, and why. */
import { RecpipeError } from '../../core/errors.js';
import type { Runtime } from '../context.js';

/**
 * Says why nothing matched on stderr (also with --json, whose stdout stays machine output);
 * with `fail` set it is an error instead (exit 1: `--fail-empty`, or a command that cannot do
 * anything with nothing).
 */
export function tellEmpty(rt: Runtime, reasons: string[], fail: boolean, hint = 'drop --fail-empty to accept an empty result'): void {
  if (fail) throw emptyError(reasons, hint);
  const text = `nothing matches: ${reasons.join('\n  ')}`;
  if (rt.json) rt.io.stderr.write(`warning: ${text}\n`);
  else rt.reporter.warn(text);
}

/** Nothing matched, as an error (exit 1) giving the reasons. */
export function emptyError(reasons: string[], hint: string): RecpipeError {
  return new RecpipeError('not_found', `nothing matches: ${reasons.join('; ')}`, { hint });
}
