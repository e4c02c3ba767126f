import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerQuery: Register = (program: Command, run) => {
  program
    .command('query')
    .description('list the preprocessed files of the sessions matching a filter (or run read-only SQL)')
    .argument('[filter...]', 'field<op>value with op one of = != > >= < <= ~ (contains), on metadata variables or session columns')
    .option('--from <date>', 'sessions recorded on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'sessions recorded on or before this day (YYYY-MM-DD)')
    .option('--pipeline-version <v>', 'outputs of this pipeline version (default: the configured one)')
    .option('--sql <sql>', 'read-only SQL over the tables sessions, processed_files, ledger')
    .option('--format <format>', 'table | json | csv (default: table on a terminal, json otherwise)')
    .option('--engine <engine>', 'duckdb (local default) or athena (aws default)')
    .option('--columns <names>', 'session variables to show as columns, comma-separated (default: all)')
    .option('--fields', 'list the known session variables with their type and how many sessions have each')
    .addHelpText(
      'after',
      "\nExamples:\n  $ recpipe query 'fatigue>=3' hardware_model=NX-200 --from 2021-02-01\n  $ recpipe query 'notes~drift' --format csv > sessions.csv\n  $ recpipe query 'fatigue>=3' --columns fatigue,hardware_model --format csv > files.csv\n  $ recpipe query --fields\n  $ recpipe query --sql \"SELECT session_id FROM sessions WHERE element_at(num_vars, 'fatigue') >= 3\"\n",
    )
    .action(
      run('query', async (rt, filters, opts) => {
        const { queryCommand } = await import('./query-command.js');
        return queryCommand(rt, filters as string[], opts as Record<string, string | boolean | undefined>);
      }),
    );
};
