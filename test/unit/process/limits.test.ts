/** Local processing runs under the process function's limits (src/config/platform-limits.ts). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { PROCESS_LIMITS, type ProcessLimits } from '../../../src/config/platform-limits.js';
import { ledgerKey } from '../../../src/core/layout.js';
import { processSession, type ProcessDeps } from '../../../src/features/process/process-session.js';
import type { Processor, StagingProcessor } from '../../../src/features/process/steps/processor.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import { externalProcessor } from '../../../src/features/process/steps/external.js';
import { bigSession, REF } from './fixture.js';

async function run(processor: Processor, limits: ProcessLimits, size = 4000) {
  const { raw, lake } = await bigSession(size);
  const deps: ProcessDeps = { raw, lake, processor, pipeline: 'default', pipelineVersion: '1', logger: nullLogger, limits };
  const outcome = await processSession(REF, deps);
  return { outcome, lake, ledger: JSON.parse((await lake.get(ledgerKey(REF, 'default', '1'))).toString()) };
}

const writes = (bytes: number): StagingProcessor => ({
  kind: 'staging',
  name: 'ext',
  version: '1',
  params: {},
  async run(_input, out) {
    await writeFile(join(out, 'result.bin'), Buffer.alloc(bytes));
  },
});

describe('the /tmp budget for staging (external) processors', () => {
  it('fails a session whose inputs alone exceed ephemeral storage before downloading anything, naming the limit and the fix', async () => {
    // 4 KB of inputs against a 0.002 MB (2,000 byte) /tmp.
    const { outcome, lake } = await run(writes(10), { ...PROCESS_LIMITS, ephemeralStorageMb: 0.002 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/needs the session's 1 MB staged in \/tmp, more than the process function's 0.002 MB of ephemeral storage/);
    expect(lake.streamPuts).toEqual([]);
  });

  it('fails a run whose inputs and outputs together exceed it, as ENOSPC would on Lambda, and publishes no output', async () => {
    const { outcome, lake } = await run(writes(20_000), { ...PROCESS_LIMITS, ephemeralStorageMb: 0.01 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/used 1 MB of \/tmp \(inputs and outputs\), more than the process function's 0.01 MB; on Lambda it would fail with ENOSPC/);
    expect(lake.streamPuts).toEqual([]);
  });

  it('lets a run that fits go through', async () => {
    const { outcome, lake } = await run(writes(1000), { ...PROCESS_LIMITS, ephemeralStorageMb: 0.01 });
    expect(outcome.status).toBe('done');
    expect(lake.streamPuts.map((p) => p.key.split('/').pop())).toEqual(['result.bin']);
  });

  it('runs a real external command on the staged files and streams its outputs up', async () => {
    const cmd = externalProcessor('cp "$RECPIPE_INPUT_DIR/metadata.txt" "$RECPIPE_OUTPUT_DIR/copy.txt"');
    const { outcome, lake } = await run(cmd, PROCESS_LIMITS);
    expect(outcome.status).toBe('done');
    expect(lake.streamPuts.map((p) => [p.key.split('/').pop(), p.bytes])).toEqual([['copy.txt', 12]]);
  });

  it('does not apply to the streaming decoder, which stages nothing', async () => {
    const { outcome } = await run(decodeProcessor, { ...PROCESS_LIMITS, ephemeralStorageMb: 0.001 }, 100_000);
    expect(outcome.status).toBe('done');
  });
});

describe('the timeout', () => {
  it('aborts an attempt that outlives the function timeout and records why', async () => {
    // A processor that only ends when aborted.
    const hangs: Processor = {
      ...decodeProcessor,
      processFile: (_f, _m, _s, _o, signal) => new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason))),
    };
    const { outcome, ledger } = await run(hangs, { ...PROCESS_LIMITS, timeoutSec: 0.05 });
    expect(outcome.status).toBe('failed');
    expect(ledger).toMatchObject({ state: 'failed', last_error: "rig-a/20210301_100000: processing ran out of the process function's 0.05 s timeout" });
  });
});
