/**
 * Work a stack crash interrupted resumes when the stack starts (issue 12 item 4): the start-up
 * sweep queues failed entries and takes over `running` entries once their lease expires.
 */
import { spawnSync } from 'node:child_process';
import { storeEvents } from '../../../src/core/events/store-events.js';
import { hostname } from 'node:os';
import { nullLogger } from '../../../src/adapters/log/file-logger.js';
import type { Config } from '../../../src/config/schema.js';
import { ledgerKey } from '../../../src/core/layout.js';
import { startLocalProcessing } from '../../../src/features/process/local-consumer.js';
import { bigSession, REF } from './fixture.js';

const config = { pipeline: 'default', pipelineVersion: '1' } as Config;

async function afterCrash(ledger: Record<string, unknown>) {
  const { raw, lake } = await bigSession(4000);
  await lake.put(
    ledgerKey(REF, 'default', '1'),
    JSON.stringify({
      session_id: 'rig-a/20210301_100000',
      pipeline: 'default',
      pipeline_version: '1',
      attempts: 1,
      updated_at: new Date().toISOString(),
      code_version: 'test',
      ...ledger,
    }),
  );
  return { raw, lake };
}

async function startAndSettle(raw: Awaited<ReturnType<typeof afterCrash>>['raw'], lake: Awaited<ReturnType<typeof afterCrash>>['lake']) {
  const p = startLocalProcessing({ events: storeEvents(), raw, lake, config, logger: nullLogger });
  try {
    await p.idle();
  } finally {
    await p.close();
  }
  return JSON.parse((await lake.get(ledgerKey(REF, 'default', '1'))).toString());
}

describe('the local stack start-up sweep', () => {
  it.each([
    [
      'running with an expired lease (the stack crashed mid-attempt)',
      { state: 'running', lease_owner: 'host:1:dead', lease_expires_at: new Date(Date.now() - 1000).toISOString() },
    ],
    [
      'running with a lease still valid for a moment (taken over when it expires)',
      { state: 'running', lease_owner: 'host:1:dead', lease_expires_at: new Date(Date.now() + 300).toISOString() },
    ],
    ['failed (a retry was due when the stack stopped)', { state: 'failed', last_error: 'boom' }],
  ])('resumes a session left %s', async (_what, ledger) => {
    // Prepare
    const { raw, lake } = await afterCrash(ledger);
    // Act
    const entry = await startAndSettle(raw, lake);
    // Assess
    expect(entry).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('takes over at once a running entry whose worker was a process of this host that is gone', async () => {
    // Prepare: the lease has 10 minutes left, but its holder (a stack killed -9) no longer runs.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const { raw, lake } = await afterCrash({
      state: 'running',
      lease_owner: `${hostname()}:${deadPid}:dead`,
      lease_expires_at: new Date(Date.now() + 600_000).toISOString(),
    });
    // Act
    const entry = await startAndSettle(raw, lake);
    // Assess
    expect(entry).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('leaves a running entry of a live worker to its lease', async () => {
    // Prepare: the holder is this test's parent process, alive.
    const owner = `${hostname()}:${process.ppid}:alive`;
    const { raw, lake } = await afterCrash({ state: 'running', lease_owner: owner, lease_expires_at: new Date(Date.now() + 600_000).toISOString() });
    // Act: start, let the sweep run, stop.
    const p = startLocalProcessing({ events: storeEvents(), raw, lake, config, logger: nullLogger });
    await p.close();
    // Assess
    expect(JSON.parse((await lake.get(ledgerKey(REF, 'default', '1'))).toString())).toMatchObject({ state: 'running', lease_owner: owner, attempts: 1 });
  });

  it('leaves done, dead and incomplete sessions alone', async () => {
    for (const state of ['done', 'dead', 'incomplete']) {
      const { raw, lake } = await afterCrash({ state });
      expect(await startAndSettle(raw, lake)).toMatchObject({ state, attempts: 1 });
    }
  });
});
