import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerDemo: Register = (program: Command, run) => {
  program
    .command('demo')
    .description('run the whole pipeline on synthetic sessions on the embedded stack: record, validate, upload, process, query, pull')
    .addHelpText('after', '\nExample:\n  $ recpipe demo              (temporary RECPIPE_HOME; set RECPIPE_HOME to keep the data)\n')
    .action(
      run('demo', async (rt, flags) => {
        const { runDemo } = await import('./run-demo.js');
        return runDemo(rt, flags);
      }),
    );
};
