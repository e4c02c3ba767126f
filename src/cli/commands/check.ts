import type { Command } from 'commander';
import type { Register } from './index.js';
import { words } from '../flags/positional.js';

export const registerCheck: Register = (program: Command, run) => {
  program
    .command('check')
    .description('validate session folders: name, metadata, files; one line per problem with the fix')
    .argument('<dir...>', 'session folders (named YYYYMMDD_HHMMSS), or the folder that holds them (each is checked)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe check /data/sessions/20210228_161221 --schema lab-schema.json\n  $ recpipe check /data/sessions     (every session folder the watch daemon would take)\n',
    )
    .action(
      run('check', async (rt, flags, dirs) => {
        const { checkSessions } = await import('./check-sessions.js');
        return checkSessions(rt, words(dirs), flags.schema);
      }),
    );
};
