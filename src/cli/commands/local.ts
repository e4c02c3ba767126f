import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerLocal: Register = (program: Command, run) => {
  const local = program
    .command('local')
    .description('the embedded stack: S3-compatible store, API and processing on loopback')
    .addHelpText('after', '\nExamples:\n  $ recpipe local up\n  $ recpipe local status --json\n');
  local
    .command('up')
    .description('start the embedded stack in the foreground until Ctrl-C or SIGTERM')
    .addHelpText(
      'after',
      '\nExample:\n  $ RECPIPE_HOME=~/lab recpipe local up\n  (then, in another terminal with the same RECPIPE_HOME: recpipe upload ./20210228_161221)\n',
    )
    .action(
      run('local up', async (rt, flags) => {
        const { localUp } = await import('./local-up.js');
        return localUp(rt, flags);
      }),
    );
  local
    .command('status')
    .description("print the running stack's endpoints, buckets and data folder")
    .addHelpText('after', '\nExample:\n  $ recpipe local status --json | jq -r .api\n')
    .action(
      run('local status', async (rt) => {
        const { requireStackInfo } = await import('../../local/stack-info.js');
        const { alive } = await import('../../adapters/fs/lock-file.js');
        const info = requireStackInfo(rt.home);
        if (!alive(info.pid)) {
          const { RecpipeError } = await import('../../core/errors.js');
          throw new RecpipeError('unavailable', `the local stack recorded in ${rt.home}/local/stack.json (pid ${info.pid}) is not running`, {
            hint: 'start it with `recpipe local up`',
          });
        }
        const data = { api: info.api, s3: info.s3, buckets: info.buckets, dataDir: info.dataDir, pid: info.pid, startedAt: info.startedAt };
        return {
          data,
          human: `api ${info.api}\ns3  ${info.s3}\nbuckets raw=${info.buckets.raw} lake=${info.buckets.lake}\ndata ${info.dataDir}\npid ${info.pid} since ${info.startedAt}`,
        };
      }),
    );
};
