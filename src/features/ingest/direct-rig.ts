/** `upload --direct --rig NAME`: the flags' rule, kept apart so the API path loads nothing of --direct. */
import { RecpipeError } from '../../core/errors.js';
import { assertRigName } from '../../core/names.js';

/**
 * The rig `upload` acts for with `--direct` (through the API the key decides it, so `--rig`
 * alone is a mistake). Validated like `recpipe keys create --rig`.
 */
export function directRig(flags: { direct?: boolean; rig?: string }): string | undefined {
  if (!flags.direct) {
    if (flags.rig !== undefined)
      throw new RecpipeError('usage', '--rig only goes with --direct: through the API the key decides the rig', { hint: 'drop --rig, or add --direct' });
    return undefined;
  }
  if (flags.rig === undefined)
    throw new RecpipeError('usage', '--direct needs the rig the sessions belong to', {
      hint: 'add --rig NAME, e.g. `recpipe upload --direct --rig rig-01 DIR`',
    });
  return assertRigName(flags.rig);
}
