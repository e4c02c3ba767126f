import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerUpload: Register = (program: Command, run) => {
  program
    .command('upload')
    .description('validate, hash and upload session folders (multipart, checksummed, resumable); the manifest is written last')
    .argument('<dir...>', 'session folders (named YYYYMMDD_HHMMSS)')
    .option('--concurrency <n>', 'at most this many parts in flight (default: as many as upload-memory-mib holds)', Number)
    .option('--part-size-mib <n>', 'multipart part size in MiB (5-5120, default 6)', Number)
    .option('--bwlimit <rate>', 'bandwidth cap: 20M (MiB/s), 512K, off, or a day timetable "08:00,5M 20:00,off"')
    .option('--direct', "upload with this machine's own S3 credentials, without the API server (same checks, run in-process); needs --rig")
    .option('--rig <name>', 'with --direct: the rig the sessions belong to (their keys go under raw/<rig>/)')
    .addHelpText(
      'after',
      '\nExample:\n  $ recpipe upload /data/sessions/20210228_161221\n  (interrupted? run it again: finished files and parts are not sent twice)\n  $ recpipe upload --direct --rig rig-01 /data/sessions/20210228_161221\n  (AWS credentials from the standard chain on the aws profile; no API key needed)\n',
    )
    .action(
      run('upload', async (rt, dirs, opts) => {
        const { uploadCommand } = await import('./upload-command.js');
        return uploadCommand(rt, dirs as string[], opts as { concurrency?: number; partSizeMib?: number; bwlimit?: string; direct?: boolean; rig?: string });
      }),
    );
};
