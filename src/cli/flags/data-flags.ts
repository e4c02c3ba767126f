/** The flags of the researcher's commands: query, pull, snapshot, revisions. */
import { day, pipelineWord, snapshotName } from '../../config/named-types.js';
import { commaList, oneOf, text } from '../../config/value-types.js';
import { fromConfig, option, optionOr, toggle } from './declare.js';

const from = option('--from <date>', 'sessions recorded on or after this day (YYYY-MM-DD)', day);
const to = option('--to <date>', 'sessions recorded on or before this day (YYYY-MM-DD)', day);
const ignoreCase = toggle('-i, --ignore-case', 'text compared with = and != ignoring case (~ always ignores case)');
const format = (help: string) => option('--format <format>', help, oneOf(['table', 'json', 'csv'] as const));

export const DATA_FLAGS = {
  query: {
    from,
    to,
    pipelineVersion: option('--pipeline-version <v>', 'outputs of this pipeline version (default: the configured one)', pipelineWord),
    sql: option('--sql <sql>', 'read-only SQL over the tables sessions, processed_files, ledger, snapshots (or DESCRIBE <table>)', text),
    format: format('default: table on a terminal, json otherwise; json and csv have one record per file'),
    files: toggle('--files', 'table: one row per file instead of one per session'),
    engine: option('--engine <engine>', 'the query engine (default: duckdb on the local profile, athena on aws)', oneOf(['duckdb', 'athena'] as const)),
    columns: option(
      '--columns <names>',
      'session variables to show as columns, comma-separated (default: all; the table shows those in the filter)',
      commaList,
    ),
    ignoreCase,
    failEmpty: toggle('--fail-empty', 'exit 1 when nothing matches (for scripts); without it an empty result is a warning on stderr'),
    fields: toggle('--fields', 'list the known session variables with their type and how many sessions have each'),
    schema: toggle('--schema', 'list the catalog tables and their columns'),
  },
  pull: {
    dest: option('--dest <dir>', 'where to stage the files (<rig>/<session>/<pipeline>/<version>/<file>)', text),
    snapshot: option('--snapshot <name>', 'exactly the files of this snapshot (`recpipe snapshot create`), whatever arrived since', snapshotName),
    sync: toggle('--sync', 'also remove the files an earlier recpipe pull put in --dest that this pull does not list (never anything else)'),
    existing: optionOr(
      '--existing <what>',
      'a file already in --dest that differs from the index: overwrite it, skip it (leave it) or error (stop, exit 3)',
      oneOf(['overwrite', 'skip', 'error'] as const),
      'overwrite',
    ),
    dryRun: toggle('--dry-run', 'say what would be downloaded (and, with --sync, removed); change nothing'),
    failEmpty: toggle('--fail-empty', 'exit 1 when nothing matches (for scripts); without it an empty result is a warning'),
    ignoreCase,
    concurrency: fromConfig('--concurrency <n>', 'files in flight at once', 'concurrency'),
    connections: fromConfig(
      '--connections <n>',
      'connections in flight at most, across files (a file over 8 MiB starts on one; more join it, 8 MiB byte ranges each, while the link rather than this machine is the limit)',
      'connections',
    ),
    wait: toggle('--no-wait', 'if another pull is writing into --dest, stop at once (exit 6) instead of waiting for it'),
    fsync: toggle(
      '--fsync',
      'flush each file to disk before renaming it into place (slower; without it a file written before a crash is hashed again by the next pull)',
    ),
    input: option('--input <file>', 'read the file list from `recpipe query --json` output (- for stdin) instead of querying', text),
    from,
    to,
    pipelineVersion: option('--pipeline-version <v>', 'outputs of this pipeline version', pipelineWord),
  },
  'snapshot create': {
    sql: option('--sql <sql>', 'read-only SQL returning a "key" column: the files to freeze', text),
    from,
    to,
    pipelineVersion: option('--pipeline-version <v>', 'outputs of this pipeline version (default: the configured one)', pipelineWord),
    ignoreCase,
  },
  'snapshot list': {},
  'snapshot show': {
    format: format('default: table on a terminal, json otherwise'),
  },
  'snapshot diff': {},
  'revisions list': {
    held: toggle('--held', 'only sessions with a revision waiting for a decision'),
  },
  'revisions accept': {
    reason: option('--reason <text>', 'why, recorded with the decision', text),
  },
  'revisions reject': {
    reason: option('--reason <text>', 'why, recorded with the decision', text),
  },
};
