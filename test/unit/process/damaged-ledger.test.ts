/**
 * A damaged ledger entry (cut short, or a field of the wrong type) is read through the one
 * checked reader everywhere: processing refuses it naming the key and field unless a forced run
 * writes it again, and status and verify report it as a finding instead of crashing.
 */
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { ledgerKey } from '../../../src/core/layout.js';
import { silentReporter } from '../../../src/core/ports.js';
import { gather } from '../../../src/features/audit/gather.js';
import { reconcile } from '../../../src/core/audit/reconcile.js';
import { gatherSessionStates } from '../../../src/features/state/gather-states.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { tempDir } from '../../helpers/tmp.js';
import { bigSession, REF } from './fixture.js';

const KEY = ledgerKey(REF, 'default', '1');
const ID = `${REF.rig}/${REF.session}`;

async function damaged(body: string) {
  const { raw, lake } = await bigSession(4000);
  const deps = { raw, lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger };
  expect((await processSession(REF, deps)).status).toBe('done');
  await lake.put(KEY, body);
  return { raw, lake, deps };
}

describe('a damaged ledger entry', () => {
  it('is refused by processing with the key and the field, and left as it is', async () => {
    const { lake, deps } = await damaged('{"session_id":"rig-a/20210301_100000","state":"done","attempts":"1"');
    await expect(processSession(REF, deps)).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringContaining(`ledger entry ${KEY} cannot be read: it is not whole JSON`),
    });
    const e2 = await damaged(
      JSON.stringify({ session_id: ID, pipeline: 'default', pipeline_version: '1', state: 'done', attempts: '1', updated_at: 'x', code_version: 'c' }),
    );
    await expect(processSession(REF, e2.deps)).rejects.toMatchObject({
      code: 'integrity',
      message: `ledger entry ${KEY} cannot be read: attempts must be a whole number (got "1")`,
    });
    expect((await lake.get(KEY)).toString()).toMatch(/"attempts":"1"$/);
  });

  it('is written again by a forced run (recpipe process --session)', async () => {
    const { lake, deps } = await damaged('{"state":');
    expect((await processSession(REF, deps, { force: true })).status).toBe('done');
    expect(JSON.parse((await lake.get(KEY)).toString())).toMatchObject({ session_id: ID, state: 'done' });
  });

  it('is a damaged_record finding in status, naming the key and the field, not a crash', async () => {
    const { raw, lake } = await damaged('{"session_id":"rig-a/20210301_100000","state":7}');
    const [state] = await gatherSessionStates({ raw, lake, home: tempDir('rp-ledger-'), pipeline: 'default', pipelineVersion: '1', policy: 'additive' });
    expect(state).toMatchObject({ sessionId: ID, tone: 'failing' });
    expect(state.reasons).toEqual([
      expect.objectContaining({
        category: 'damaged_record',
        message: expect.stringMatching(`${KEY}: ledger entry ${KEY} cannot be read: pipeline must be a string`),
      }),
    ]);
  });

  it('is a damaged_record finding in verify, and the audit goes on', async () => {
    const { raw, lake } = await damaged('{"session_id":"rig-a/20210301_1');
    const input = await gather({
      raw,
      lake,
      home: tempDir('rp-ledger-'),
      scrubBudgetBytes: 0,
      scrubPeriodDays: 30,
      graceMs: 0,
      pipeline: 'default',
      pipelineVersion: '1',
      policy: 'additive',
      reporter: silentReporter,
    });
    const found = reconcile(input).findings.filter((f) => f.category === 'damaged_record');
    expect(found).toEqual([expect.objectContaining({ sessionId: ID, key: KEY, message: expect.stringContaining('it is not whole JSON') })]);
    expect(input.catalogRows.has(ID)).toBe(true);
  });
});
