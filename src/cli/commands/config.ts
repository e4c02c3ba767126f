import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerConfig: Register = (program: Command, run) => {
  const config = program.command('config').description('show the resolved configuration').addHelpText('after', '\nExample:\n  $ recpipe config show\n');
  config
    .command('show')
    .description('print every setting, its value and where it came from (secrets masked)')
    .addHelpText('after', '\nExample:\n  $ RECPIPE_CONCURRENCY=8 recpipe config show --json\n')
    .action(
      run('config show', async (rt) => {
        const { loadConfig } = await import('../../config/load.js');
        const { redactConfig } = await import('../../config/schema.js');
        const { configPath } = await import('../../config/load.js');
        const result = loadConfig({ env: rt.io.env, profile: rt.config().profile });
        const values = redactConfig(result.config);
        const data = { file: configPath(rt.home), values, sources: result.sources, warnings: result.warnings };
        const width = Math.max(...Object.keys(values).map((k) => k.length));
        const lines = Object.entries(values).map(
          ([k, v]) =>
            `${k.padEnd(width)}  ${v === undefined ? '-' : String(v as string | number)}${result.sources[k] && result.sources[k] !== 'default' ? `  (${result.sources[k]})` : ''}`,
        );
        for (const w of result.warnings) rt.reporter.warn(w);
        return { data, human: [`config file: ${data.file}`, ...lines].join('\n') };
      }),
    );
};
