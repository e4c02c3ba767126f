/** Wires `recpipe watch` to the configuration, the API and chokidar (hints only). */
import type { CommandResult, Runtime } from '../context.js';
import { JournalStore } from '../../adapters/fs/journal-store.js';
import { runWatch } from '../../features/watch/daemon.js';
import { uploadOptions } from '../../features/ingest/engine-options.js';
import { lowerPriority } from '../../features/ingest/low-priority.js';
import { loadMetadataSchema } from '../../features/session/validate-session-dir.js';
import { EXIT_CODES, messageOf } from '../../core/errors.js';
import { renderWatchSummary } from './watch-summary.js';
import type { FlagsOf } from '../flags/table.js';

export async function watchCommand(rt: Runtime, root: string, flags: FlagsOf<'watch'>): Promise<CommandResult> {
  // --quiet-period, --bwlimit and --priority are config keys: the config carries them.
  const config = rt.config();
  const upload = uploadOptions(config, flags);
  if (config.watchPriority === 'low') lowerPriority(rt.logger);
  const { api, apiKey } = await rt.services(config).ingestApi();
  const hints = flags.poll
    ? undefined
    : async (wake: () => void) => {
        const { watch } = await import('chokidar');
        const w = watch(root, { depth: 1, ignoreInitial: true, persistent: true });
        w.on('all', () => wake());
        w.on('error', (e: unknown) => {
          const code = (e as NodeJS.ErrnoException).code;
          const msg =
            code === 'ENOSPC'
              ? 'the inotify watch limit is reached (ENOSPC here does not mean a full disk); falling back to polling. Raise it with: sudo sysctl fs.inotify.max_user_watches=524288'
              : `file watcher error (${String(e)}); polling continues`;
          rt.reporter.warn(msg);
          rt.logger.log('warn', 'watch.hints_failed', { code, message: String(e) });
          void w.close();
        });
        return () => w.close();
      };
  const summary = await runWatch({
    root,
    home: config.home,
    api,
    apiKey,
    journals: new JournalStore(config.home, rt.logger),
    logger: rt.logger.child({ component: 'watch' }),
    reporter: rt.reporter,
    signal: rt.signal,
    once: flags.once,
    quietMs: config.quietPeriodSec * 1000,
    markerFile: config.markerFile,
    schema: config.metadataSchema ? await loadMetadataSchema(config.metadataSchema) : undefined,
    upload,
    hints,
    // Said once the folder, the home and the lock are known to be fine.
    onStart: () => (flags.once ? undefined : rt.reporter.info(`watching ${root} (quiet period ${config.quietPeriodSec} s); Ctrl-C to stop`)),
  });
  const stoppedBy = rt.signal.aborted ? messageOf(rt.signal.reason) : undefined;
  const human = renderWatchSummary(summary, { stoppedBy });
  // A daemon stopped by a signal has done what it should (systemd's stop); a --once run cut short has not.
  const exitCode = flags.once && stoppedBy ? EXIT_CODES.interrupted : flags.once && (summary.failed.length > 0 || summary.invalid.length > 0) ? 1 : 0;
  return { data: { ...summary, stoppedBy }, human, exitCode };
}
