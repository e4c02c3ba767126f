import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerStatus: Register = (program: Command, run) => {
  program
    .command('status')
    .description('processing ledger (sessions by state, dead letters), or with --root a rig folder as the watcher sees it')
    .addHelpText('after', '\nExamples:\n  $ recpipe status --json | jq .counts\n  $ recpipe status --root /data/sessions\n')
    .action(
      run('status', async (rt, { root }) => {
        if (root) {
          const { rootStatus } = await import('./root-status.js');
          return rootStatus(rt.home, root);
        }
        const { statusCommand } = await import('./status-command.js');
        return statusCommand(rt);
      }),
    );
};
