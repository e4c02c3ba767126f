import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerQuery: Register = (program: Command, run) => {
  program
    .command('query')
    .description('list the sessions matching a filter and their preprocessed files (or run read-only SQL)')
    .argument('[filter...]', 'field<op>value with op one of = != > >= < <= ~ (contains, ignoring case), on metadata variables or session columns')
    .option('--from <date>', 'sessions recorded on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'sessions recorded on or before this day (YYYY-MM-DD)')
    .option('--pipeline-version <v>', 'outputs of this pipeline version (default: the configured one)')
    .option('--sql <sql>', 'read-only SQL over the tables sessions, processed_files, ledger, snapshots (or DESCRIBE <table>)')
    .option('--format <format>', 'table | json | csv (default: table on a terminal, json otherwise); json and csv have one record per file')
    .option('--files', 'table: one row per file instead of one per session')
    .option('--engine <engine>', 'duckdb (local default) or athena (aws default)')
    .option('--columns <names>', 'session variables to show as columns, comma-separated (default: all; the table shows those in the filter)')
    .option('-i, --ignore-case', 'text compared with = and != ignoring case (~ always ignores case)')
    .option('--fail-empty', 'exit 1 when nothing matches (for scripts); without it an empty result is a warning on stderr')
    .option('--fields', 'list the known session variables with their type and how many sessions have each')
    .option('--schema', 'list the catalog tables and their columns')
    .addHelpText(
      'after',
      "\nExamples:\n  $ recpipe query 'fatigue>=3' hardware_model=NX-200 --from 2021-02-01\n  $ recpipe query 'notes~drift' --format csv > files.csv\n  $ recpipe query -i hardware_model=nx-200 --files\n  $ recpipe query 'fatigue>=3' --columns fatigue,hardware_model --format csv > files.csv\n  $ recpipe query --fields\n  $ recpipe query --schema\n  $ recpipe query --sql \"SELECT session_id FROM sessions WHERE element_at(num_vars, 'fatigue') >= 3\"\n",
    )
    .action(
      run('query', async (rt, filters, opts) => {
        const { queryCommand } = await import('./query-command.js');
        return queryCommand(rt, filters as string[], opts as Record<string, string | boolean | undefined>);
      }),
    );
};
