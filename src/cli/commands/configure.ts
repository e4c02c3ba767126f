import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerConfigure: Register = (program: Command, run) => {
  program
    .command('configure')
    .description('point the aws profile at a deployed stack (from `cdk deploy --outputs-file`)')
    .addHelpText('after', '\nExample:\n  $ npx cdk deploy --outputs-file outputs.json && recpipe configure --from-stack outputs.json --default\n')
    .action(
      run('configure', async (rt, flags) => {
        const { configureFromStack } = await import('../../config/configure-from-stack.js');
        const r = await configureFromStack(rt.home, flags.fromStack, flags.default);
        return {
          data: r,
          human: `aws profile written to ${r.file}:\n${Object.entries(r.values)
            .map(([k, v]) => `  ${k} ${v}`)
            .join('\n')}`,
        };
      }),
    );
};
