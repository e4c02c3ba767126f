/** Two `recpipe process --session` runs on one session at once both end cleanly (issue 18). */
import { rmSync } from 'node:fs';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { catalogFilesKey, ledgerKey } from '../../../src/core/layout.js';
import { processSession } from '../../../src/features/process/process-session.js';
import type { Processor } from '../../../src/features/process/steps/processor.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { generateSession } from '../../../src/features/synthetic/generate.js';
import { runCli } from '../../helpers/cli.js';
import { startTestStack, type TestStack } from '../../helpers/stack.js';
import { tempDir } from '../../helpers/tmp.js';

let stack: TestStack;
let root: string;
beforeAll(async () => {
  stack = await startTestStack();
  root = tempDir('rp-proc-conc-');
});
afterAll(async () => {
  await stack.stop();
  rmSync(root, { recursive: true, force: true });
});

async function uploaded(session: string, seed: number) {
  const dir = await generateSession(root, { name: session, files: 2, bytesPerFile: 40_000, seed });
  expect((await runCli(['upload', dir], stack.env)).code).toBe(0);
  return { rig: 'local-rig', session };
}

const ledger = async (ref: { rig: string; session: string }) => JSON.parse((await stack.lake.get(ledgerKey(ref, 'default', '1'))).toString());

describe('process --session run twice at once', () => {
  it('both end cleanly: each exits 0 (did it / found it done) or 6 naming the worker that holds it, and the session ends done once', async () => {
    // Prepare
    const ref = await uploaded('20210501_100000', 11);
    const id = `${ref.rig}/${ref.session}`;
    // Act
    const runs = await Promise.all([runCli(['process', '--session', id], stack.env), runCli(['process', '--session', id], stack.env)]);
    // Assess
    for (const r of runs) {
      expect([0, 6]).toContain(r.code);
      if (r.code === 6) expect(r.out + r.err).toMatch(/busy: another worker \(.+\) is processing it, lease until/);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    expect(await ledger(ref)).toMatchObject({ state: 'done' });
    const index = (await stack.lake.get(catalogFilesKey(ref, 'default', '1'))).toString().trim().split('\n');
    expect(index).toHaveLength(5);
  });

  it('answers 6 naming the holder while another worker holds the lease, and the holder finishes', async () => {
    // Prepare: a worker that holds the session until released.
    const ref = await uploaded('20210502_100000', 12);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const holding: Processor = {
      ...decodeProcessor,
      async processFile(file, manifest, source, out) {
        started();
        await held;
        await decodeProcessor.processFile(file, manifest, source, out);
      },
    };
    const worker = processSession(ref, { raw: stack.raw, lake: stack.lake, processor: holding, pipeline: 'default', pipelineVersion: '1', logger: nullLogger });
    await running;
    // Act
    const busy = await runCli(['process', '--session', `${ref.rig}/${ref.session}`], stack.env);
    release();
    const first = await worker;
    // Assess
    expect(busy.code).toBe(6);
    expect(busy.out + busy.err).toMatch(/local-rig\/20210502_100000: busy: another worker \(.+:\d+:[0-9a-f]{8}\) is processing it, lease until \d{4}-/);
    expect(first.status).toBe('done');
    expect(await ledger(ref)).toMatchObject({ state: 'done', attempts: 1 });
  });
});
