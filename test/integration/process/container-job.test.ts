/**
 * `recpipe process --session ... --container-job`, the container path's command (AWS Batch runs
 * it; src/infra/processing-job.ts), against the embedded stack: it processes a session under the
 * container's limits and records that path, leaves a done session alone (queue semantics, unlike
 * a re-drive), and refuses to run without the route's timeout.
 */
import { rmSync } from 'node:fs';
import { ledgerKey } from '../../../src/core/layout.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

let stack: TestStack;
let root: string;
beforeAll(async () => {
  stack = await startTestStack();
  root = tempDir('rp-proc-job-');
});
afterAll(async () => {
  await stack.stop();
  rmSync(root, { recursive: true, force: true });
});

const ledger = async (ref: { rig: string; session: string }) => JSON.parse((await stack.lake.get(ledgerKey(ref, 'default', '1'))).toString());

describe('process --container-job', () => {
  it('processes the session on the container path, then leaves it alone when run again', async () => {
    // Prepare: a committed session nothing has processed (the test stack runs no consumer).
    const dir = await generateSession(root, { name: '20210601_100000', files: 2, bytesPerFile: 40_000, seed: 21 });
    expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
    const ref = { rig: 'local-rig', session: '20210601_100000' };
    const job = ['process', '--session', 'local-rig/20210601_100000', '--container-job', '--timeout-sec', '4200'];
    // Act
    const first = await runCli(job, stack.env);
    const again = await runCli(job, stack.env);
    // Assess: one attempt, on the container path; the second run found it done.
    expect(first.code).toBe(0);
    // Its events go to stdout as JSON lines (CloudWatch Logs on AWS), marked with the path.
    expect(
      first.out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { event: string; computePath: string }),
    ).toEqual(expect.arrayContaining([expect.objectContaining({ event: 'process.done', computePath: 'container' })]));
    expect(again.code).toBe(0);
    expect(again.out).toContain('already done');
    expect(await ledger(ref)).toMatchObject({ state: 'done', attempts: 1, compute_path: 'container' });
  });

  it('refuses to run without the timeout the route chose, naming the flag', async () => {
    const r = await runCli(['process', '--session', 'local-rig/20210601_100000', '--container-job'], stack.env);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')[0]).toMatch(/--container-job needs --session and --timeout-sec .*got --timeout-sec null/);
  });
});
