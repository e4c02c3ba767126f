import type { Command } from 'commander';
import type { Register } from './index.js';
import { words } from '../flags/positional.js';

export const registerPull: Register = (program: Command, run) => {
  program
    .command('pull')
    .description('download the preprocessed files matching a filter (or a snapshot), verified (SHA-256) and incremental')
    .argument('[filter...]', 'the same filters as `recpipe query`')
    .addHelpText(
      'after',
      "\nExamples:\n  $ recpipe pull 'fatigue>=3' hardware_model=NX-200 --dest /data/train\n  $ recpipe pull 'fatigue>=6' --dest /data/train --sync --dry-run\n  $ recpipe pull --snapshot fatigue-v1 --dest /data/fatigue-v1\n  $ recpipe query --json notes~drift | recpipe pull --input - --dest /data/drift\n",
    )
    .action(
      run('pull', async (rt, flags, filters) => {
        const { pullCommand } = await import('./pull-command.js');
        return pullCommand(rt, words(filters), flags);
      }),
    );
};
