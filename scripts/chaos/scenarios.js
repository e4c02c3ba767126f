// The chaos scenarios, in the order `--scenario all` runs them. Each `run(ctx)` gets
// { seed, r (seeded random), home (its own temp RECPIPE_HOME) } and returns
// { failures: string[], figures: {...} }; `columns` say how figures add up over runs.
import { changedFile, clientKill, stackKillUpload } from './upload.js';
import { stackKillProcessing } from './processing.js';
import { pullDiskFull, pullDiskFullSkip, pullKill } from './pull.js';
import { watchMarker, watchPauses } from './watch.js';
import { malformed } from './malformed.js';

export const SCENARIOS = [
  {
    name: 'client-kill',
    about: 'upload, client kill -9 at 1-3 seeded byte counts, clean re-run: committed, bit-identical',
    timeoutSec: 120,
    run: clientKill,
    columns: [
      { key: 'kills', label: 'kills', agg: 'sum' },
      { key: 'resentBytes', label: 're-sent per kill', agg: 'ratio', per: 'kills', unit: 'MB' },
      { key: 'maxResentPerKill', label: 'max re-sent per kill in a run', agg: 'max', unit: 'MB' },
      { key: 'resentBytes', label: 're-sent total', agg: 'sum', unit: 'MB' },
    ],
  },
  {
    name: 'stack-kill-upload',
    about: 'stack (recpipe local up) kill -9 during upload, restart on the same home, re-run: committed, bit-identical, not blocked',
    timeoutSec: 180,
    run: stackKillUpload,
    columns: [
      { key: 'kills', label: 'stack kills', agg: 'sum' },
      { key: 'firstRunExit0', label: 'interrupted upload still exit 0', agg: 'sum' },
      { key: 'blocked', label: 'sessions blocked', agg: 'sum' },
      { key: 'leftovers', label: 'spool files left (12.5)', agg: 'sum' },
    ],
  },
  {
    name: 'changed-file',
    about: 'a file grows while its session uploads; the re-run of the finished folder archives it (12.2)',
    timeoutSec: 120,
    run: changedFile,
    columns: [
      { key: 'firstRunExit0', label: 'first upload exit 0', agg: 'sum' },
      { key: 'blocked', label: 'sessions blocked', agg: 'sum' },
    ],
  },

  {
    name: 'stack-kill-processing',
    about: 'stack kill -9 while it processes a session, restart: ledger reaches done, outputs indexed once (12.4)',
    timeoutSec: 180,
    run: stackKillProcessing,
    columns: [
      { key: 'kills', label: 'stack kills', agg: 'sum' },
      { key: 'killedRunning', label: 'killed while running', agg: 'sum' },
      { key: 'killedBeforeLedger', label: 'killed before the ledger entry', agg: 'sum' },
      { key: 'stuck', label: 'stuck running', agg: 'sum' },
    ],
  },

  {
    name: 'pull-kill',
    about: 'pull kill -9 at 1-3 seeded moments, re-run: exit 0, every file verified at its final path, no .part left',
    timeoutSec: 120,
    run: pullKill,
    columns: [
      { key: 'kills', label: 'kills', agg: 'sum' },
      { key: 'files', label: 'files pulled', agg: 'sum' },
    ],
  },
  {
    name: 'pull-disk-full',
    about: 'another writer fills the disk (a tmpfs) under a pull: clear error, nothing wrong at a final path; re-run with space: all verified',
    timeoutSec: 120,
    skip: pullDiskFullSkip,
    run: pullDiskFull,
    columns: [
      { key: 'failedMidway', label: 'failed mid-download', agg: 'sum' },
      { key: 'refusedUpFront', label: 'refused up front', agg: 'sum' },
      { key: 'finishedBeforeFull', label: 'finished before the disk filled', agg: 'sum' },
    ],
  },

  {
    name: 'watch-pauses',
    about: 'a writer appends with seeded pauses (some > the 1 s quiet period) under watch: every byte archived (12.3)',
    timeoutSec: 120,
    run: watchPauses,
    columns: [
      { key: 'longPauses', label: 'pauses > quiet period', agg: 'sum' },
      { key: 'revisions', label: 'revisions (newest, max)', agg: 'max' },
      { key: 'unarchivedRuns', label: 'sessions left un-archived', agg: 'sum' },
      { key: 'unarchivedBytes', label: 'bytes only on the rig', agg: 'sum', unit: 'MB' },
    ],
  },
  {
    name: 'watch-marker',
    about: 'the same writer with a marker file (RECPIPE_MARKER_FILE) and a 60 s quiet period: every byte archived',
    timeoutSec: 120,
    run: watchMarker,
    columns: [
      { key: 'longPauses', label: 'pauses > quiet period', agg: 'sum' },
      { key: 'unarchivedRuns', label: 'sessions left un-archived', agg: 'sum' },
      { key: 'unarchivedBytes', label: 'bytes only on the rig', agg: 'sum', unit: 'MB' },
    ],
  },

  {
    name: 'malformed',
    about: 'bad JSON, huge bodies, bad uploadIds, URIs, tokens and methods, fuzzed bodies, concurrent commits: no 5xx, no crash',
    timeoutSec: 180,
    run: malformed,
    columns: [
      { key: 'requests', label: 'requests', agg: 'sum' },
      { key: 'fiveXx', label: '5xx answers', agg: 'sum' },
      { key: 'resets', label: 'connections cut', agg: 'sum' },
      { key: 'crashes', label: 'stack crashes', agg: 'sum' },
      { key: 'raceCommitted', label: 'race commits answered committed', agg: 'sum' },
    ],
  },
];
