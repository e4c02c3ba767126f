import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerVerify: Register = (program: Command, run) => {
  program
    .command('verify')
    .description(
      'audit rig folders, raw store, manifests, revisions, catalog, outputs and ledger, re-hashing stored objects oldest-checked first within a byte budget; exit 0 only when clean (read-only unless --repair)',
    )
    .option('--root <dir>', "a rig's session folder root, compared with the raw store by name, size and SHA-256 (the rig is the configured API key's)")
    .option('--rig <name>', 'the rig the --root folders belong to (operators; a rig knows its own from its API key)')
    .option('--rehash-rig', 'with --root: re-read every rig file, also those unchanged (path, size, mtime, inode) since their cached hash')
    .option('--since <date>', 'only sessions recorded on or after this day (YYYY-MM-DD)')
    .option(
      '--scrub-budget-gb <GB>',
      're-hash at most this many GB of stored objects this run, oldest-checked first (config scrubBudgetGB, default 50; 0: none)',
    )
    .option('--grace-hours <h>', 'sessions younger than this are "in flight", not errors (default 2)', Number)
    .option('--pulled <dir>', 'instead: check a `recpipe pull` folder against its recpipe-pull.json (size and SHA-256 of every file)')
    .option('--repair', 're-drive what can be re-driven (re-upload, re-process); never deletes')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe verify\n  $ recpipe verify --root /data/sessions            (on a rig)\n  $ recpipe verify --root /mnt/rig-01 --rig rig-01 --repair\n  $ recpipe verify --pulled /data/pulled            (on the EC2 node)\n  cron: 17 3 * * *  recpipe verify --json > /var/log/recpipe-verify.json || mail -s "recpipe gaps" lab@example.org < /var/log/recpipe-verify.json\n',
    )
    .action(
      run('verify', async (rt, opts) => {
        const { verifyCommand } = await import('./verify-command.js');
        return verifyCommand(rt, opts as Record<string, never>);
      }),
    );
};
