import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerPull: Register = (program: Command, run) => {
  program
    .command('pull')
    .description('download the preprocessed files matching a filter (or a snapshot), verified (SHA-256) and incremental')
    .argument('[filter...]', 'the same filters as `recpipe query`')
    .option('--dest <dir>', 'where to stage the files (<rig>/<session>/<pipeline>/<version>/<file>)')
    .option('--snapshot <name>', 'exactly the files of this snapshot (`recpipe snapshot create`), whatever arrived since')
    .option('--sync', 'also remove the files an earlier recpipe pull put in --dest that this pull does not list (never anything else)')
    .option('--existing <what>', 'a file already in --dest that differs from the index: overwrite (default), skip (leave it) or error (stop, exit 3)')
    .option('--dry-run', 'say what would be downloaded (and, with --sync, removed); change nothing')
    .option('--fail-empty', 'exit 1 when nothing matches (for scripts); without it an empty result is a warning')
    .option('-i, --ignore-case', 'text compared with = and != ignoring case')
    .option('--concurrency <n>', 'files in flight at once (1-64); default 4')
    .option(
      '--connections <n>',
      'connections in flight at most, across files (1-64; a file over 8 MiB starts on one; more join it, 8 MiB byte ranges each, while the link rather than this machine is the limit); default 16',
    )
    .option('--no-wait', 'if another pull is writing into --dest, stop at once (exit 6) instead of waiting for it')
    .option(
      '--fsync',
      'flush each file to disk before renaming it into place (slower; without it a file written before a crash is hashed again by the next pull)',
    )
    .option('--input <file>', 'read the file list from `recpipe query --json` output (- for stdin) instead of querying')
    .option('--from <date>', 'sessions recorded on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'sessions recorded on or before this day (YYYY-MM-DD)')
    .option('--pipeline-version <v>', 'outputs of this pipeline version')
    .addHelpText(
      'after',
      "\nExamples:\n  $ recpipe pull 'fatigue>=3' hardware_model=NX-200 --dest /data/train\n  $ recpipe pull 'fatigue>=6' --dest /data/train --sync --dry-run\n  $ recpipe pull --snapshot fatigue-v1 --dest /data/fatigue-v1\n  $ recpipe query --json notes~drift | recpipe pull --input - --dest /data/drift\n",
    )
    .action(
      run('pull', async (rt, filters, opts) => {
        const { pullCommand } = await import('./pull-command.js');
        return pullCommand(rt, filters as string[], opts as Record<string, never>);
      }),
    );
};
