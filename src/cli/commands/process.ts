import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerProcess: Register = (program: Command, run) => {
  program
    .command('process')
    .description('re-drive sessions through processing, or process every session lacking a pipeline version')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe process --session rig-01/20210228_161221\n  $ RECPIPE_PIPELINE_VERSION=2 recpipe process --pipeline-version 2\n  $ recpipe process --session rig-01/20210228_161221 --container-job --timeout-sec 4200\n',
    )
    .action(
      run('process', async (rt, flags) => {
        const { processCommand } = await import('./process-command.js');
        return processCommand(rt, flags);
      }),
    );
};
