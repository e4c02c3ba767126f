/** `recpipe status`: the processing ledger by state, with the sessions that need attention. */
import type { CommandResult, Runtime } from '../context.js';
import type { LedgerEntry, LedgerState } from '../../core/catalog/types.js';
import { CATALOG_PREFIX } from '../../core/layout.js';
import { renderTable } from '../render/table.js';
import { withStores } from '../../process/redrive.js';

const STATES: LedgerState[] = ['pending', 'running', 'done', 'failed', 'dead', 'incomplete'];

export async function statusCommand(rt: Runtime): Promise<CommandResult> {
  const config = rt.config();
  const entries = await withStores(config, async (_raw, lake) => {
    const out: LedgerEntry[] = [];
    for (const o of await lake.list(`${CATALOG_PREFIX}ledger/${config.pipeline}/${config.pipelineVersion}/`))
      out.push(JSON.parse((await lake.get(o.key)).toString('utf8')) as LedgerEntry);
    return out;
  });
  const counts = Object.fromEntries(STATES.map((s) => [s, entries.filter((e) => e.state === s).length])) as Record<LedgerState, number>;
  const attention = entries
    .filter((e) => e.state === 'dead' || e.state === 'failed' || e.state === 'incomplete')
    .map((e) => ({
      session_id: e.session_id,
      state: e.state,
      attempts: e.attempts,
      last_error: e.last_error ?? '',
      updated_at: e.updated_at,
      // The integrity flag: files whose stored bytes are not what the manifest says (never registered).
      ...(e.integrity?.length ? { integrity: e.integrity.map((i) => i.file) } : {}),
    }));
  const lines = [`pipeline ${config.pipeline} v${config.pipelineVersion}: ${STATES.map((s) => `${counts[s]} ${s}`).join(', ')}`];
  if (attention.length) lines.push(renderTable(['session_id', 'state', 'attempts', 'last_error'], attention));
  if (counts.dead) lines.push('dead letters: fix the cause, then `recpipe process --session RIG/SESSION`');
  return {
    data: { pipeline: config.pipeline, pipelineVersion: config.pipelineVersion, counts, deadLetters: attention.filter((a) => a.state === 'dead'), attention },
    human: lines.join('\n'),
  };
}
