import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerVerify: Register = (program: Command, run) => {
  program
    .command('verify')
    .description('audit rig folders, raw store, manifests, catalog, outputs and ledger; exit 0 only when clean (read-only unless --repair)')
    .option('--root <dir>', "a rig's session folder root, compared with the raw store (the rig is the configured API key's)")
    .option('--rig <name>', 'the rig the --root folders belong to (operators; a rig knows its own from its API key)')
    .option('--since <date>', 'only sessions recorded on or after this day (YYYY-MM-DD)')
    .option('--deep-sample <pct>', 're-hash this percentage of objects, chosen at random (default 1)', Number)
    .option('--grace-hours <h>', 'sessions younger than this are "in flight", not errors (default 2)', Number)
    .option('--repair', 're-drive what can be re-driven (re-upload, re-process); never deletes')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe verify --deep-sample 5\n  $ recpipe verify --root /data/sessions            (on a rig)\n  $ recpipe verify --root /mnt/rig-01 --rig rig-01 --repair\n  cron: 17 3 * * *  recpipe verify --json > /var/log/recpipe-verify.json || mail -s "recpipe gaps" lab@example.org < /var/log/recpipe-verify.json\n',
    )
    .action(
      run('verify', async (rt, opts) => {
        const { verifyCommand } = await import('./verify-command.js');
        return verifyCommand(rt, opts as Record<string, never>);
      }),
    );
};
