/** `recpipe revisions list | accept | reject`: what is served, what is held, and a person's decision. */
import { hostname, userInfo } from 'node:os';
import type { CommandResult, Runtime } from '../context.js';
import { RecpipeError } from '../../core/errors.js';
import { parseSessionId } from '../../core/layout.js';
import type { Verdict } from '../../core/session/decision.js';
import { writeDecision } from '../../core/session/revision-state.js';
import { revisedSessions, revisionStates } from '../../features/revisions/list-revisions.js';
import { renderRevisionState } from '../render/revisions.js';

export async function listCommand(rt: Runtime, session: string | undefined, heldOnly: boolean): Promise<CommandResult> {
  const config = rt.config();
  const services = rt.services(config);
  try {
    const { raw } = await services.storage();
    rt.reporter.step('reading revisions');
    const refs = session ? [parseSessionId(session)] : await revisedSessions(raw);
    const states = (await revisionStates(raw, refs, config.acceptRevisions)).filter((s) => !heldOnly || s.held.length > 0);
    rt.reporter.succeed(`${states.length} session(s)`);
    if (session && states.length === 0) throw new RecpipeError('not_found', `session ${session} is not committed`, { hint: 'check the id' });
    const held = states.reduce((n, s) => n + s.held.length, 0);
    const human = states.length
      ? `${states.map(renderRevisionState).join('\n\n')}\n\n${held} revision(s) held for review (policy: acceptRevisions=${config.acceptRevisions})`
      : heldOnly
        ? 'no revision is held for review'
        : 'no session has a revision after its first commit';
    return { data: { policy: config.acceptRevisions, sessions: states }, human };
  } finally {
    services.close();
  }
}

export async function decideCommand(rt: Runtime, verdict: Verdict, session: string, revisionArg: string, reason?: string): Promise<CommandResult> {
  const ref = parseSessionId(session);
  if (!/^[1-9]\d{0,8}$/.test(revisionArg))
    throw new RecpipeError('usage', `revision ${JSON.stringify(revisionArg)} is not a revision number`, {
      hint: `e.g. recpipe revisions ${verdict} ${session} 2`,
    });
  const config = rt.config();
  const services = rt.services(config);
  try {
    const { raw } = await services.storage();
    const by = `${userInfo().username}@${hostname()}`;
    const { decision, state } = await writeDecision(raw, ref, Number(revisionArg), verdict, { by, at: new Date(), reason, policy: config.acceptRevisions });
    rt.logger.log('info', `revisions.${verdict}ed`, { sessionId: session, revision: decision.revision, by });
    const next =
      verdict === 'accept'
        ? `revision ${state.served} is served now; processing follows (the decision's arrival triggers it; \`recpipe status\` shows it, or run \`recpipe process --session ${session}\`)`
        : `revision ${state.served} stays served; revision ${decision.revision} stays archived and is never served`;
    return { data: { decision, state }, human: `${verdict}ed revision ${decision.revision} of ${session}: ${next}\n\n${renderRevisionState(state)}` };
  } finally {
    services.close();
  }
}
