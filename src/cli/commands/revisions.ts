import type { Command } from 'commander';
import type { Register } from './index.js';

export const registerRevisions: Register = (program: Command, run) => {
  const revisions = program
    .command('revisions')
    .description('revisions of sessions: list them, and accept or reject those held because they change archived bytes');
  revisions
    .command('list')
    .description('each revised session: which revision is served, which are held, and what each changes (both SHA-256s)')
    .argument('[session]', 'one session, RIG/YYYYMMDD_HHMMSS (default: every session with a revision)')
    .option('--held', 'only sessions with a revision waiting for a decision')
    .addHelpText('after', '\nExamples:\n  $ recpipe revisions list --held\n  $ recpipe revisions list rig-01/20210228_161221 --json\n')
    .action(
      run('revisions list', async (rt, session, opts) => {
        const { listCommand } = await import('./revisions-command.js');
        return listCommand(rt, session as string | undefined, Boolean((opts as { held?: boolean }).held));
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
      .option('--reason <text>', 'why, recorded with the decision')
      .addHelpText('after', `\nExample:\n  $ recpipe revisions ${verdict} rig-01/20210228_161221 2 --reason "re-exported after calibration"\n`)
      .action(
        run(`revisions ${verdict}`, async (rt, session, revision, opts) => {
          const { decideCommand } = await import('./revisions-command.js');
          return decideCommand(rt, verdict, String(session), String(revision), (opts as { reason?: string }).reason);
        }),
      );
  }
};
