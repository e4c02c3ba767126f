/**
 * `recpipe local up`: start the stack, print one line with its endpoints, run until the
 * command's abort signal fires (SIGINT/SIGTERM), then shut down cleanly.
 */
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { readStackInfo } from '../../local/stack-info.js';
import { startLocalStack } from '../../composition/local-stack.js';
import { startLocalProcessing } from '../../features/process/local-consumer.js';
import { alive } from '../../adapters/fs/lock-file.js';
import type { FlagsOf } from '../flags/table.js';

export async function localUp(rt: Runtime, opts: FlagsOf<'local up'>): Promise<CommandResult> {
  const config = rt.config();
  if (config.profile !== 'local')
    throw new RecpipeError('usage', `\`local up\` runs the embedded stack, but the profile is "${config.profile}"`, {
      hint: 'drop --profile or use --profile local',
    });
  const existing = readStackInfo(config.home, (e) => rt.reporter.warn(`${e.message}: a new stack is started and rewrites it`));
  if (existing && existing.pid !== process.pid && alive(existing.pid)) {
    throw new RecpipeError('locked', `a local stack is already running for ${config.home} (pid ${existing.pid}, api ${existing.api})`, {
      hint: 'use it as it is, stop it first, or pick another RECPIPE_HOME',
    });
  }
  const stack = await startLocalStack({
    config,
    logger: rt.logger,
    apiPort: opts.apiPort,
    s3Port: opts.s3Port,
    processing: opts.processing,
    startProcessing: startLocalProcessing,
  });
  const line = `recpipe local stack ready: api ${stack.info.api} s3 ${stack.info.s3} data ${stack.info.dataDir}`;
  if (rt.json)
    rt.io.stdout.write(
      JSON.stringify({ event: 'ready', api: stack.info.api, s3: stack.info.s3, buckets: stack.info.buckets, dataDir: stack.info.dataDir }) + '\n',
    );
  else rt.io.stdout.write(line + '\n');
  await new Promise<void>((resolve) => {
    if (rt.signal.aborted) resolve();
    else rt.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await stack.close();
  rt.logger.log('info', 'local.down', {});
  return { data: { event: 'stopped' }, human: 'recpipe local stack stopped', exitCode: 0 };
}
