/** A run that decodes fewer data files than the session holds ends done_with_gaps, never done. */
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { ledgerKey, manifestKey } from '../../../src/core/layout.js';
import { claimable, finish, startAttempt } from '../../../src/core/process/ledger.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { bigSession, REF } from './fixture.js';

describe('processing outcomes', () => {
  it('ends done_with_gaps naming the data files it could not decode, and does not run it again', async () => {
    const { raw, lake, manifest } = await bigSession(4000);
    // The metadata gives no channels: the built-in decoder cannot read data.bin.
    await raw.put(manifestKey(REF), JSON.stringify({ ...manifest, variables: { numeric: {}, text: { sample_format: 'int16' } } }));
    const deps = { raw, lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger };
    const r = await processSession(REF, deps);
    expect(r).toMatchObject({ status: 'done_with_gaps', undecoded: ['data.bin'] });
    const entry = JSON.parse((await lake.get(ledgerKey(REF, 'default', '1'))).toString());
    expect(entry).toMatchObject({ state: 'done_with_gaps', undecoded: ['data.bin'], dropped: [{ file: 'data.bin', bytes: 4000 }] });
    expect((await processSession(REF, deps)).status).toBe('already_done');
  });

  it('a tail cut short is a warning of a done run, not a gap', () => {
    const ctx = { sessionId: 'rig-a/20210301_100000', pipeline: 'default', pipelineVersion: '1', codeVersion: 't', now: new Date(0) };
    const running = startAttempt(undefined, ctx, 'h:1:x', 1000);
    expect(finish(running, new Date(1), 'a'.repeat(64), 3, [{ file: 'data.bin', bytes: 3, reason: 'last frame cut short' }]).state).toBe('done');
    const gaps = finish(running, new Date(1), 'a'.repeat(64), 1, [], ['data.bin']);
    expect([gaps.state, gaps.undecoded, claimable(gaps, new Date(2))]).toEqual(['done_with_gaps', ['data.bin'], false]);
  });
});
