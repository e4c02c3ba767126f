/**
 * An external processor: a command run through /bin/sh with the input and output folders in
 * RECPIPE_INPUT_DIR / RECPIPE_OUTPUT_DIR (and RECPIPE_SESSION_ID). Its outputs are every
 * regular file it leaves in the output folder. A non-zero exit or a timeout fails the attempt,
 * with the end of its stderr in the ledger. Its inputs and outputs together must fit the
 * process function's /tmp (checked by the staging runner, src/features/process/staging.ts).
 */
import { spawn } from 'node:child_process';
import { RecpipeError } from '../../../core/errors.js';
import type { StagingProcessor } from './processor.js';

/** A staging processor running `command`; the attempt's timeout aborts it through `signal`. */
export function externalProcessor(command: string, timeoutMs = 30 * 60_000): StagingProcessor {
  return {
    kind: 'staging',
    name: 'external',
    version: '1',
    params: { command },
    run: (input, outputDir, signal) =>
      new Promise((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', command], {
          env: { ...process.env, RECPIPE_INPUT_DIR: input.dir, RECPIPE_OUTPUT_DIR: outputDir, RECPIPE_SESSION_ID: input.manifest.sessionId },
          stdio: ['ignore', 'ignore', 'pipe'],
          signal,
          timeout: timeoutMs,
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
        child.on('error', (e) => reject(new RecpipeError('failed', `processor command failed to start: ${e.message}`, { cause: e })));
        child.on('exit', (code, sig) => {
          if (code === 0) resolve();
          else
            reject(
              new RecpipeError(
                'failed',
                `processor command ${sig ? `was killed (${sig})` : `exited with ${code}`}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
                { hint: 'fix the processor, then `recpipe process --session ID`' },
              ),
            );
        });
      }),
  };
}
