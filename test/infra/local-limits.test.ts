/**
 * Local processing is held to the synthesized template's limits (issue 11): the embedded
 * stack's processing consumer, built from the configuration as `recpipe local up` builds it,
 * fails a session that would exceed the process function's /tmp or outlive its timeout, with
 * the numbers the template gives the function, as Lambda would.
 */
import { storeEvents } from '../../src/core/events/store-events.js';
import { jest } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { nullLogger } from '../../src/adapters/log/file-logger.js';
import type { Config } from '../../src/config/schema.js';
import { ledgerKey } from '../../src/core/layout.js';
import { DEFAULT_INFRA } from '../../src/infra/config.js';
import { RecpipeStack } from '../../src/infra/recpipe-stack.js';
import { startLocalProcessing } from '../../src/features/process/local-consumer.js';
import type { Processor } from '../../src/features/process/steps/processor.js';
import { decodeProcessor } from '../../src/features/process/steps/decode.js';
import { bigSession, REF } from '../unit/process/fixture.js';
import { tempDir } from '../helpers/tmp.js';

/** The process function's settings in the synthesized template. */
function templateLimits(): { ephemeralMb: number; timeoutSec: number } {
  const stack = new RecpipeStack(new App({ outdir: tempDir('rp-cdk-') }), 'LocalLimits', DEFAULT_INFRA, {
    env: { account: '111122223333', region: 'eu-west-1' },
    bundle: false,
  });
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const [, fn] = Object.entries(fns).find(([id]) => id.includes('ProcessFunction'))!;
  return { ephemeralMb: fn.Properties.EphemeralStorage.Size, timeoutSec: fn.Properties.Timeout };
}

const limits = templateLimits();
const ledgerOf = async (lake: Awaited<ReturnType<typeof bigSession>>['lake']) => JSON.parse((await lake.get(ledgerKey(REF, 'default', '1'))).toString());

afterEach(() => jest.useRealTimers());

describe('local processing under the synthesized template limits', () => {
  it("fails a session whose /tmp use exceeds the template's ephemeral storage, naming that size", async () => {
    // Prepare: an external processor (configured as a lab would) writes one output 1 byte over
    // the budget, as a sparse file: it takes no disk, but counts at its size as it would on Lambda.
    const { raw, lake } = await bigSession(4000);
    const over = limits.ephemeralMb * 1_000_000 + 1;
    const config = { pipeline: 'default', pipelineVersion: '1', processorCommand: `truncate -s ${over} "$RECPIPE_OUTPUT_DIR/big.bin"` } as Config;
    // Act: the stack's consumer retries it (1 ms backoff here) until it is dead.
    const p = startLocalProcessing({ events: storeEvents(), raw, lake, config, logger: nullLogger, retryBaseMs: 1 });
    await p.idle();
    await p.close();
    // Assess
    const ledger = await ledgerOf(lake);
    expect(ledger.state).toBe('dead');
    expect(ledger.last_error).toContain(`more than the process function's ${limits.ephemeralMb} MB; on Lambda it would fail with ENOSPC`);
    expect(lake.streamPuts).toEqual([]);
  });

  it("aborts an attempt when the template's timeout runs out, not before", async () => {
    // Prepare: a processor that only ends when aborted; fake timers stand in for the clock.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { raw, lake } = await bigSession(4000);
    const hangs: Processor = {
      ...decodeProcessor,
      processFile: (_f, _m, _s, _o, signal) => new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason))),
    };
    const config = { pipeline: 'default', pipelineVersion: '1' } as Config;
    const p = startLocalProcessing({ events: storeEvents(), raw, lake, config, logger: nullLogger, retryBaseMs: 3_600_000, deps: { processor: hangs } });
    // Act / Assess: still running a second before the timeout, failed a second after it.
    await jest.advanceTimersByTimeAsync(limits.timeoutSec * 1000 - 1000);
    expect((await ledgerOf(lake)).state).toBe('running');
    await jest.advanceTimersByTimeAsync(2000);
    const ledger = await ledgerOf(lake);
    await p.close();
    expect(ledger).toMatchObject({
      state: 'failed',
      last_error: `rig-a/20210301_100000: processing ran out of the process function's ${limits.timeoutSec} s timeout`,
    });
  });
});
