/**
 * A session whose data could not be decoded is not reported done or clean anywhere: upload says
 * so, processing ends done_with_gaps, and status and verify name it with the fix.
 */
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { processSession } from '../../../src/features/process/process-session.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const proc = (session: string) =>
  processSession(
    { rig: 'local-rig', session },
    { raw: stack.raw, lake: stack.lake, processor: decodeProcessor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger },
  );

describe('a session whose data could not be decoded', () => {
  it('is said at upload, ends done_with_gaps, and status and verify count and name it apart from done', async () => {
    const root = tempDir('rp-state-');
    const good = await generateSession(root, { name: '20210901_100000', files: 1, bytesPerFile: 4096, seed: 1 });
    // A typo in the metadata: int16 is not a sample format the decoder knows.
    const typo = await generateSession(root, { name: '20210902_100000', files: 1, bytesPerFile: 4096, seed: 2, variables: { sample_format: 'int16' } });
    const up = await runCli(['upload', good, typo], stack.env);
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/warning \(data will not be processed\): .*20210902_100000\/metadata.txt: your data will NOT be processed by the built-in decoder/);
    expect((await proc('20210901_100000')).status).toBe('done');
    expect(await proc('20210902_100000')).toMatchObject({ status: 'done_with_gaps', undecoded: ['data_00.bin'] });

    const status = await runCli(['--json', 'status'], stack.env);
    const s = JSON.parse(status.out);
    expect(s.counts).toMatchObject({ done: 1, done_with_gaps: 1, dead: 0 });
    expect(s.attention).toEqual([
      expect.objectContaining({ sessionId: 'local-rig/20210902_100000', kind: 'done_with_gaps', tone: 'attention', label: 'done with gaps' }),
    ]);
    expect(s.attention[0].reasons[0]).toMatchObject({
      message: expect.stringContaining('data_00.bin was not decoded'),
      next: expect.stringContaining('sample_format'),
    });
    expect((await runCli(['status'], stack.env)).out).toMatch(/1 done, 1 done with gaps/);

    const v = await runCli(['--json', 'verify', '--grace-hours', '0'], stack.env);
    expect(v.code).toBe(4);
    const report = JSON.parse(v.out);
    expect(report.findings).toEqual([expect.objectContaining({ category: 'not_decoded', sessionId: 'local-rig/20210902_100000' })]);
    expect(report.sessions.counts).toMatchObject({ done: 1, done_with_gaps: 1 });
    // status reads the same verify findings afterwards.
    expect(JSON.parse((await runCli(['--json', 'status'], stack.env)).out).lastVerify).toMatchObject({ clean: false });
  }, 60_000);
});
