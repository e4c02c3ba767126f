import type { Command } from 'commander';
import type { Register } from './index.js';
import { word, words } from '../flags/positional.js';

/** `recpipe snapshot create/list/show/diff`: options and help; actions in snapshot-command.ts. */
export const registerSnapshot: Register = (program: Command, run) => {
  const snapshot = program
    .command('snapshot')
    .description('freeze the exact files a query gives under a name, to pull the same dataset again later; list, show and compare snapshots')
    .addHelpText('after', "\nExamples:\n  $ recpipe snapshot create fatigue-v1 'fatigue>=3'\n  $ recpipe snapshot diff fatigue-v1 fatigue-v2\n");
  snapshot
    .command('create')
    .description('freeze the processed files matching a filter (or --sql) under NAME; a name is written once and never reused')
    .argument('<name>', 'lowercase letters, digits, dots, dashes, underscores (e.g. fatigue-v1)')
    .argument('[filter...]', 'the same filters as `recpipe query`')
    .addHelpText(
      'after',
      "\nExamples:\n  $ recpipe snapshot create fatigue-v1 'fatigue>=3' hardware_model=NX-200\n  $ recpipe pull --snapshot fatigue-v1 --dest /data/fatigue-v1\n",
    )
    .action(
      run('snapshot create', async (rt, flags, name, filters) => {
        const { snapshotCreate } = await import('./snapshot-command.js');
        return snapshotCreate(rt, word(name), words(filters), flags);
      }),
    );
  snapshot
    .command('list')
    .description('list the snapshots: name, when, what chose them, sessions, files, size')
    .addHelpText('after', '\nExample:\n  $ recpipe snapshot list\n')
    .action(
      run('snapshot list', async (rt) => {
        const { snapshotList } = await import('./snapshot-command.js');
        return snapshotList(rt);
      }),
    );
  snapshot
    .command('show')
    .description("list a snapshot's files: session, revision, pipeline version, key, size, SHA-256")
    .argument('<name>', 'the snapshot')
    .addHelpText('after', '\nExample:\n  $ recpipe snapshot show fatigue-v1 --format csv > fatigue-v1.csv\n')
    .action(
      run('snapshot show', async (rt, flags, name) => {
        const { snapshotShow } = await import('./snapshot-command.js');
        return snapshotShow(rt, word(name), flags);
      }),
    );
  snapshot
    .command('diff')
    .description('compare two snapshots by file: only in A (-), only in B (+), other bytes (~)')
    .argument('<a>', 'the first snapshot')
    .argument('<b>', 'the second snapshot')
    .addHelpText('after', '\nExample:\n  $ recpipe snapshot diff fatigue-v1 fatigue-v2\n')
    .action(
      run('snapshot diff', async (rt, _flags, a, b) => {
        const { snapshotDiff } = await import('./snapshot-command.js');
        return snapshotDiff(rt, word(a), word(b));
      }),
    );
};
