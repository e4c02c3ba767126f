import type { Command } from 'commander';
import type { Register } from './index.js';
import type { ProcessFlags } from './process-command.js';

export const registerProcess: Register = (program: Command, run) => {
  program
    .command('process')
    .description('re-drive sessions through processing, or process every session lacking a pipeline version')
    .option('--session <id...>', 'session ids (RIG/YYYYMMDD_HHMMSS) to re-drive, also from dead or incomplete')
    .option('--pipeline-version <v>', 'process every committed session that has no finished run of this version')
    .option('--container-job', "run as the container path's job (with --session): a done session is left alone, a dead one stays dead")
    .option('--timeout-sec <s>', 'with --container-job: the time the attempt may take, seconds (the route chose it)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe process --session rig-01/20210228_161221\n  $ RECPIPE_PIPELINE_VERSION=2 recpipe process --pipeline-version 2\n  $ recpipe process --session rig-01/20210228_161221 --container-job --timeout-sec 4200\n',
    )
    .action(
      run('process', async (rt, opts) => {
        const { processCommand } = await import('./process-command.js');
        return processCommand(rt, opts as ProcessFlags);
      }),
    );
  program
    .command('status')
    .description('processing ledger (sessions by state, dead letters), or with --root a rig folder as the watcher sees it')
    .option('--root <dir>', "a rig's watched folder: each session's state and the daemon's last heartbeat")
    .addHelpText('after', '\nExamples:\n  $ recpipe status --json | jq .counts\n  $ recpipe status --root /data/sessions\n')
    .action(
      run('status', async (rt, opts) => {
        const root = (opts as { root?: string }).root;
        if (root) {
          const { rootStatus } = await import('./root-status.js');
          return rootStatus(rt.home, root);
        }
        const { statusCommand } = await import('./status-command.js');
        return statusCommand(rt);
      }),
    );
};
