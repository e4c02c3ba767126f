/** The flags of the rig-side and audit commands: check, upload, watch, verify, process, status. */
import { CONTAINER_LIMITS } from '../../config/platform-limits.js';
import { pipelineWord, day, rigName, sessionId } from '../../config/named-types.js';
import { decimal, integer, text } from '../../config/value-types.js';
import { MAX_PARTS_IN_FLIGHT } from '../../features/ingest/engine-options.js';
import { fromConfig, list, option, optionOr, toggle } from './declare.js';

/** upload and watch: a cap on the parts in flight, below what the memory budget allows. */
const partsInFlight = option(
  '--concurrency <n>',
  'at most this many parts in flight (default: as many as upload-memory-mib holds)',
  integer(1, MAX_PARTS_IN_FLIGHT),
);
const bwlimitFlag = fromConfig('--bwlimit <rate>', 'bandwidth cap: 20M (MiB/s), 512K, off, or a day timetable "08:00,5M 20:00,off"', 'bwlimit');

export const INGEST_FLAGS = {
  check: {
    schema: fromConfig('--schema <file>', 'metadata schema (JSON): required variables, types, ranges', 'metadataSchema'),
  },
  upload: {
    concurrency: partsInFlight,
    partSizeMib: fromConfig('--part-size-mib <n>', 'multipart part size in MiB', 'partSizeMiB'),
    bwlimit: bwlimitFlag,
    direct: toggle('--direct', "upload with this machine's own S3 credentials, without the API server (same checks, run in-process); needs --rig"),
    rig: option('--rig <name>', 'with --direct: the rig the sessions belong to (their keys go under raw/<rig>/)', rigName),
  },
  watch: {
    once: toggle('--once', 'process what is ready now, then exit (cron, tests)'),
    quietPeriod: fromConfig('--quiet-period <sec>', 'a session is finished when nothing changed for this many seconds', 'quietPeriodSec'),
    concurrency: partsInFlight,
    bwlimit: bwlimitFlag,
    priority: fromConfig('--priority <level>', 'CPU and I/O priority of the daemon (low: nice 19, ionice best-effort 7)', 'watchPriority'),
    poll: toggle('--poll', 'do not use filesystem events (network shares); scan periodically only'),
  },
  verify: {
    root: option(
      '--root <dir>',
      "a rig's session folder root, compared with the raw store by name, size and SHA-256 (the rig is the configured API key's)",
      text,
    ),
    rig: option('--rig <name>', 'the rig the --root folders belong to (operators; a rig knows its own from its API key)', rigName),
    rehashRig: toggle('--rehash-rig', 'with --root: re-read every rig file, also those unchanged (path, size, mtime, inode) since their cached hash'),
    since: option('--since <date>', 'only sessions recorded on or after this day (YYYY-MM-DD)', day),
    scrubBudgetGb: fromConfig(
      '--scrub-budget-gb <GB>',
      're-hash at most this many GB of stored objects this run, oldest-checked first (0: none)',
      'scrubBudgetGB',
    ),
    graceHours: optionOr('--grace-hours <h>', 'sessions younger than this many hours are "in flight", not errors', decimal(0, 8760), 2),
    pulled: option('--pulled <dir>', 'instead: check a `recpipe pull` folder against its recpipe-pull.json (size and SHA-256 of every file)', text),
    repair: toggle('--repair', 're-drive what can be re-driven (re-upload, re-process); never deletes'),
  },
  process: {
    session: list('--session <id...>', 'session ids (RIG/YYYYMMDD_HHMMSS) to re-drive, also from dead or incomplete', sessionId),
    pipelineVersion: option('--pipeline-version <v>', 'process every committed session that has no finished run of this version', pipelineWord),
    containerJob: toggle('--container-job', "run as the container path's job (with --session): a done session is left alone, a dead one stays dead"),
    timeoutSec: option(
      '--timeout-sec <s>',
      'with --container-job: the time the attempt may take, seconds (the route chose it)',
      integer(60, CONTAINER_LIMITS.maxTimeoutSec),
    ),
  },
  status: {
    root: option('--root <dir>', "a rig's watched folder: each session's state and the daemon's last heartbeat", text),
  },
};
