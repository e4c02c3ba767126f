import { planScrub, type ScrubCandidate, type ScrubMark } from '../../../src/core/audit/scrub-plan.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const obj = (id: string, size: number, storedAt = NOW - 100 * DAY, etag?: string): ScrubCandidate => ({ id, size, storedAt, etag });
const plan = (c: ScrubCandidate[], record: Record<string, ScrubMark>, budgetBytes: number) =>
  planScrub(c, new Map(Object.entries(record)), { now: NOW, periodMs: 30 * DAY, budgetBytes });

describe('the scrub plan', () => {
  it('re-hashes every object each run when the store fits the budget', () => {
    const all = [obj('b/x', 10), obj('b/y', 20), obj('b/z', 30)];
    const p = plan(all, { 'b/x': { at: NOW - DAY, size: 10 } }, 60);
    expect(p.chosen.map((c) => c.id).sort()).toEqual(['b/x', 'b/y', 'b/z']);
    expect([p.bytes, p.overdue]).toEqual([60, []]);
  });

  it('takes never-checked objects first, then the oldest-checked, until the budget is spent', () => {
    const all = [obj('b/old', 10), obj('b/new', 10), obj('b/never', 10)];
    const record = { 'b/old': { at: NOW - 20 * DAY, size: 10 }, 'b/new': { at: NOW - DAY, size: 10 } };
    expect(plan(all, record, 20).chosen.map((c) => c.id)).toEqual(['b/never', 'b/old']);
  });

  it('takes one object per run even when it is larger than the budget, so none is starved', () => {
    expect(plan([obj('b/huge', 1000), obj('b/small', 1)], {}, 10).chosen.map((c) => c.id)).toEqual(['b/huge']);
    expect(plan([obj('b/huge', 1000)], {}, 0).chosen).toEqual([]);
  });

  it('counts an object rewritten since its check (other size or ETag) as never checked', () => {
    const record = { 'b/x': { at: NOW - DAY, size: 10, etag: '"1"' }, 'b/y': { at: NOW - 2 * DAY, size: 10, etag: '"1"' } };
    expect(plan([obj('b/x', 10, 0, '"2"'), obj('b/y', 10, 0, '"1"')], record, 10).chosen.map((c) => c.id)).toEqual(['b/x']);
  });

  it('calls overdue what the budget leaves unchecked past the period, judging a never-checked object by its upload', () => {
    const all = [obj('b/stale', 10), obj('b/fresh-upload', 10, NOW - DAY), obj('b/checked', 10)];
    const p = plan(all, { 'b/stale': { at: NOW - 40 * DAY, size: 10 }, 'b/checked': { at: NOW - 10 * DAY, size: 10 } }, 0);
    expect(p.overdue.map((c) => c.id)).toEqual(['b/stale']);
  });
});
