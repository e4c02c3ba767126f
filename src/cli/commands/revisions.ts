import type { Command } from 'commander';
import type { Register } from './index.js';
import { maybeWord, word } from '../flags/positional.js';

export const registerRevisions: Register = (program: Command, run) => {
  const revisions = program
    .command('revisions')
    .description('revisions of sessions: list them, and accept or reject those held because they change archived bytes')
    .addHelpText(
      'after',
      '\nExamples:\n  $ recpipe revisions list --held\n  $ recpipe revisions accept rig-01/20210228_161221 2 --reason "re-exported after calibration"\n',
    );
  revisions
    .command('list')
    .description('each revised session: which revision is served, which are held, and what each changes (both SHA-256s)')
    .argument('[session]', 'one session, RIG/YYYYMMDD_HHMMSS (default: every session with a revision)')
    .addHelpText('after', '\nExamples:\n  $ recpipe revisions list --held\n  $ recpipe revisions list rig-01/20210228_161221 --json\n')
    .action(
      run('revisions list', async (rt, flags, session) => {
        const { listCommand } = await import('./revisions-command.js');
        return listCommand(rt, maybeWord(session), flags.held);
      }),
    );
  for (const verdict of ['accept', 'reject'] as const) {
    revisions
      .command(verdict)
      .description(
        verdict === 'accept'
          ? 'serve a held revision: the catalog, processing and pull switch to it (write-once)'
          : 'keep serving the earlier revision; the held one stays archived, never served (write-once)',
      )
      .argument('<session>', 'RIG/YYYYMMDD_HHMMSS')
      .argument('<revision>', 'the held revision number, as `recpipe revisions list` shows it')
      .addHelpText('after', `\nExample:\n  $ recpipe revisions ${verdict} rig-01/20210228_161221 2 --reason "re-exported after calibration"\n`)
      .action(
        run(`revisions ${verdict}`, async (rt, flags, session, revision) => {
          const { decideCommand } = await import('./revisions-command.js');
          return decideCommand(rt, verdict, word(session), word(revision), flags.reason);
        }),
      );
  }
};
