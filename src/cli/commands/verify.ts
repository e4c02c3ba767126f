import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerVerify: Register = (program: Command, run) => {
  program
    .command('verify')
    .description(
      'audit rig folders, raw store, manifests, revisions, catalog, outputs and ledger, re-hashing stored objects oldest-checked first within a byte budget; exit 0 only when clean (read-only unless --repair)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe verify\n  $ recpipe verify --root /data/sessions            (on a rig)\n  $ recpipe verify --root /mnt/rig-01 --rig rig-01 --repair\n  $ recpipe verify --pulled /data/pulled            (on the EC2 node)\n  cron: 17 3 * * *  recpipe verify --json > /var/log/recpipe-verify.json || mail -s "recpipe gaps" lab@example.org < /var/log/recpipe-verify.json\n',
    )
    .action(
      run('verify', async (rt, flags) => {
        const { verifyCommand } = await import('./verify-command.js');
        return verifyCommand(rt, flags);
      }),
    );
};
