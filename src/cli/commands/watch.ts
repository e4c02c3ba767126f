import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerWatch: Register = (program: Command, run) => {
  program
    .command('watch')
    .description('upload every finished session folder under ROOT, once, resumably (rig daemon)')
    .argument('<root>', 'the folder the rig writes session folders into')
    .option('--once', 'process what is ready now, then exit (cron, tests)')
    .option('--quiet-period <sec>', 'a session is finished when nothing changed for this long (default 30)', Number)
    .option('--concurrency <n>', 'at most this many parts in flight (default: as many as upload-memory-mib holds)', Number)
    .option('--bwlimit <rate>', 'bandwidth cap: 20M (MiB/s), 512K, off, or a day timetable "08:00,5M 20:00,off"')
    .option('--priority <low|normal>', 'CPU and I/O priority of the daemon (default low: nice 19, ionice best-effort 7)')
    .option('--poll', 'do not use filesystem events (network shares); scan periodically only')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe watch /data/sessions\n  $ recpipe watch /data/sessions --once --quiet-period 60   (from cron)\n  see deploy/recpipe-watch.service for systemd\n',
    )
    .action(
      run('watch', async (rt, root, opts) => {
        const { watchCommand } = await import('./watch-command.js');
        return watchCommand(
          rt,
          root as string,
          opts as { once?: boolean; quietPeriod?: number; concurrency?: number; poll?: boolean; bwlimit?: string; priority?: string },
        );
      }),
    );
};
