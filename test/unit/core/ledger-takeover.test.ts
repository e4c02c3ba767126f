/**
 * The takeover rule (issue 12 item 4): a `running` ledger entry whose worker was a process of
 * this host that no longer runs is taken over at once; every other holder keeps its lease.
 */
import type { LedgerEntry } from '../../../src/core/catalog/types.js';
import { claimable, holderGone, leaseHolder } from '../../../src/core/process/ledger.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const running = (owner: string | undefined): LedgerEntry =>
  ({
    session_id: 'rig-a/20210301_100000',
    pipeline: 'default',
    pipeline_version: '1',
    state: 'running',
    attempts: 1,
    lease_owner: owner,
    lease_expires_at: new Date(NOW.getTime() + 60_000).toISOString(),
    updated_at: NOW.toISOString(),
  }) as LedgerEntry;
const deadPids = new Set([4242]);
const alive = (pid: number) => !deadPids.has(pid);
const gone = (owner: string | undefined, self = 1) => holderGone(running(owner), 'rig-host', self, alive);

describe('leaseHolder', () => {
  it('reads host and pid from host:pid:nonce, also when the host has colons', () => {
    expect(leaseHolder('rig-host:4242:ab12cd34')).toEqual({ host: 'rig-host', pid: 4242 });
    expect(leaseHolder('fe80::1:77:ab12cd34')).toEqual({ host: 'fe80::1', pid: 77 });
  });
  it.each([undefined, '', 'rig-host', 'rig-host:abc:ab12', 'rig-host:4242:'])('gives undefined for %p', (owner) => {
    expect(leaseHolder(owner)).toBeUndefined();
  });
});

describe('holderGone', () => {
  it('is true for a running entry held by a dead process of this host', () => {
    expect(gone('rig-host:4242:ab12cd34')).toBe(true);
  });
  it.each([
    ['a live process of this host', 'rig-host:4343:ab12cd34', 1],
    ['a process of another host (its pid means nothing here)', 'other-host:4242:ab12cd34', 1],
    ['this very process', 'rig-host:4242:ab12cd34', 4242],
    ['an owner of another form', 'lambda-request-42', 1],
    ['no owner', undefined, 1],
  ])('is false for %s', (_what, owner, self) => {
    expect(gone(owner, self)).toBe(false);
  });
  it('is false for entries that are not running', () => {
    for (const state of ['done', 'failed', 'dead', 'incomplete'] as const) {
      expect(holderGone({ ...running('rig-host:4242:ab12cd34'), state }, 'rig-host', 1, alive)).toBe(false);
    }
  });
});

describe('claimable with a gone holder', () => {
  it('claims a running entry before its lease expires only when its holder is gone', () => {
    const e = running('rig-host:4242:ab12cd34');
    expect(claimable(e, NOW)).toBe(false);
    expect(claimable(e, NOW, false, true)).toBe(true);
    expect(claimable(e, new Date(NOW.getTime() + 61_000))).toBe(true);
  });
  it('never reopens a done session because of it', () => {
    expect(claimable({ ...running('rig-host:4242:ab12cd34'), state: 'done' }, NOW, false, true)).toBe(false);
  });
});
