import type { Command } from 'commander';
import type { Register } from './index.js';
import { words } from '../flags/positional.js';

export const registerUpload: Register = (program: Command, run) => {
  program
    .command('upload')
    .description('validate, hash and upload session folders (multipart, checksummed, resumable); the manifest is written last')
    .argument('<dir...>', 'session folders (named YYYYMMDD_HHMMSS)')
    .addHelpText(
      'after',
      '\nExample:\n  $ recpipe upload /data/sessions/20210228_161221\n  (interrupted? run it again: finished files and parts are not sent twice)\n  $ recpipe upload --direct --rig rig-01 /data/sessions/20210228_161221\n  (AWS credentials from the standard chain on the aws profile; no API key needed)\n',
    )
    .action(
      run('upload', async (rt, flags, dirs) => {
        const { uploadCommand } = await import('./upload-command.js');
        return uploadCommand(rt, words(dirs), flags);
      }),
    );
};
