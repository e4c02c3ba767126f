import type { Command } from 'commander';
import type { Register } from './index.js';
import { words } from '../flags/positional.js';

export const registerQuery: Register = (program: Command, run) => {
  program
    .command('query')
    .description('list the sessions matching a filter and their preprocessed files (or run read-only SQL)')
    .argument('[filter...]', 'field<op>value with op one of = != > >= < <= ~ (contains, ignoring case), on metadata variables or session columns')
    .addHelpText(
      'after',
      "\nExamples:\n  $ recpipe query 'fatigue>=3' hardware_model=NX-200 --from 2021-02-01\n  $ recpipe query 'notes~drift' --format csv > files.csv\n  $ recpipe query -i hardware_model=nx-200 --files\n  $ recpipe query 'fatigue>=3' --columns fatigue,hardware_model --format csv > files.csv\n  $ recpipe query --fields\n  $ recpipe query --schema\n  $ recpipe query --sql \"SELECT session_id FROM sessions WHERE element_at(num_vars, 'fatigue') >= 3\"\n",
    )
    .action(
      run('query', async (rt, flags, filters) => {
        const { queryCommand } = await import('./query-command.js');
        return queryCommand(rt, words(filters), flags);
      }),
    );
};
