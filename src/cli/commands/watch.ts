import type { Command } from 'commander';
import type { Register } from './index.js';
import { word } from '../flags/positional.js';

export const registerWatch: Register = (program: Command, run) => {
  program
    .command('watch')
    .description('upload every finished session folder under ROOT, once, resumably (rig daemon)')
    .argument('<root>', 'the folder the rig writes session folders into')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe watch /data/sessions\n  $ recpipe watch /data/sessions --once --quiet-period 60   (from cron)\n  see deploy/recpipe-watch.service for systemd\n',
    )
    .action(
      run('watch', async (rt, flags, root) => {
        const { watchCommand } = await import('./watch-command.js');
        return watchCommand(rt, word(root), flags);
      }),
    );
};
