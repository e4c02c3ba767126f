/**
 * Sessions too big for the function are routed, not retried to death (issue 25 item 5): the
 * processing Lambda hands such a session to the container path (a Batch job) and acknowledges
 * the message; the embedded stack's consumer, under the same rule, runs it on the container
 * path in-process, records that path in the ledger, and holds it to the container's timeout
 * instead of the function's.
 */
import { storeEvents } from '../../../src/core/events/store-events.js';
import { jest } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import { stdoutLogger } from '../../../src/adapters/log/stdout-logger.js';
import { handleSqsEvent } from '../../../src/backend/lambda/process.js';
import { PROCESS_LIMITS, routeRule } from '../../../src/config/platform-limits.js';
import type { Config } from '../../../src/config/schema.js';
import { ledgerKey, manifestKey, type SessionRef } from '../../../src/core/layout.js';
import type { Route } from '../../../src/core/process/route.js';
import { startLocalProcessing } from '../../../src/features/process/local-consumer.js';
import { decodeProcessor } from '../../../src/features/process/steps/decode.js';
import type { Processor } from '../../../src/features/process/steps/processor.js';
import { bigSession, REF } from './fixture.js';

/** The deployed rule, with a processing rate that makes this 4 kB session "too big" for the function. */
const slow = { ...routeRule(), cpuSecondsPerGiB: 1e9 };
const config = { pipeline: 'default', pipelineVersion: '1' } as Config;
const ledgerOf = async (lake: Awaited<ReturnType<typeof bigSession>>['lake']) => JSON.parse((await lake.get(ledgerKey(REF, 'default', '1'))).toString());
const sqs = (key: string): SQSEvent =>
  ({ Records: [{ messageId: 'm1', body: JSON.stringify({ Records: [{ s3: { bucket: { name: 'raw-bucket' }, object: { key } } }] }) }] }) as unknown as SQSEvent;

afterEach(() => jest.useRealTimers());

describe('on AWS (the processing Lambda)', () => {
  it('submits a session over the function budget to the container path and acknowledges the message, leaving the ledger to the job', async () => {
    // Prepare
    const { raw, lake } = await bigSession(4000);
    const submitted: { ref: SessionRef; route: Route }[] = [];
    const lines: string[] = [];
    const deps = {
      raw,
      lake,
      pipeline: 'default',
      pipelineVersion: '1',
      processor: decodeProcessor,
      logger: stdoutLogger({}, 'debug', (l) => lines.push(l)),
      rule: slow,
      container: async (ref: SessionRef, route: Route) => {
        submitted.push({ ref, route });
        return { sessionId: `${ref.rig}/${ref.session}`, status: 'routed' as const, jobId: 'job-1' };
      },
    };
    // Act
    const out = await handleSqsEvent(sqs(manifestKey(REF)), deps);
    // Assess: one job with the route's timeout, no redelivery, nothing processed here.
    expect(out).toEqual({ batchItemFailures: [] });
    expect(submitted).toEqual([{ ref: REF, route: expect.objectContaining({ path: 'container', timeoutSec: expect.any(Number) }) }]);
    expect(submitted[0].route.timeoutSec).toBeGreaterThan(PROCESS_LIMITS.timeoutSec);
    expect(await lake.head(ledgerKey(REF, 'default', '1'))).toBeUndefined();
    expect(lines.some((l) => JSON.parse(l).event === 'process.routed')).toBe(true);
  });

  it('processes a session within the budget in the function and records that path', async () => {
    const { raw, lake } = await bigSession(4000);
    const container = jest.fn(async () => ({ sessionId: 'x', status: 'routed' as const }));
    const deps = { raw, lake, pipeline: 'default', pipelineVersion: '1', processor: decodeProcessor, logger: nullLogger, container };
    expect(await handleSqsEvent(sqs(manifestKey(REF)), deps)).toEqual({ batchItemFailures: [] });
    expect(container).not.toHaveBeenCalled();
    expect(await ledgerOf(lake)).toMatchObject({ state: 'done', compute_path: 'function' });
  });
});

describe('in the embedded stack (the local consumer), under the same rule', () => {
  it('takes the container path for the same session and records it in the ledger', async () => {
    const { raw, lake } = await bigSession(4000);
    const p = startLocalProcessing({ events: storeEvents(), raw, lake, config, logger: nullLogger, rule: slow });
    await p.idle();
    await p.close();
    expect(await ledgerOf(lake)).toMatchObject({ state: 'done', compute_path: 'container' });
  });

  it("holds a container-path attempt to the route's timeout, not the function's 900 s", async () => {
    // Prepare: a processor that only ends when aborted; fake timers stand in for the clock.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { raw, lake, manifest } = await bigSession(4000);
    const hangs: Processor = {
      ...decodeProcessor,
      processFile: (_f, _m, _s, _o, signal) => new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason))),
    };
    const timeoutSec =
      Math.max(slow.containerMinTimeoutSec, Math.ceil((manifest.totalBytes / 2 ** 30) * slow.cpuSecondsPerGiB * slow.margin)) + slow.containerStartSec;
    const p = startLocalProcessing({
      events: storeEvents(),
      raw,
      lake,
      config,
      logger: nullLogger,
      rule: slow,
      retryBaseMs: 3_600_000,
      deps: { processor: hangs },
    });
    // Act / Assess: still running well past the function's timeout, failed once the route's runs out.
    await jest.advanceTimersByTimeAsync((PROCESS_LIMITS.timeoutSec + 60) * 1000);
    expect(await ledgerOf(lake)).toMatchObject({ state: 'running', compute_path: 'container' });
    await jest.advanceTimersByTimeAsync((timeoutSec - PROCESS_LIMITS.timeoutSec - 60) * 1000 + 1000);
    const ledger = await ledgerOf(lake);
    await p.close();
    expect(ledger).toMatchObject({
      state: 'failed',
      compute_path: 'container',
      last_error: `rig-a/20210301_100000: processing ran out of the container job's ${timeoutSec} s timeout`,
    });
  });
});
