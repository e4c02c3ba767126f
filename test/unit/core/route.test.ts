/** The compute-path rule (core/process/route.ts) at the deployed settings and at its edges. */
import { CONTAINER_LIMITS, PROCESS_LIMITS, PROCESS_RATE, routeRule } from '../../../src/config/platform-limits.js';
import { functionMaxBytes, predictSeconds, routeSession } from '../../../src/core/process/route.js';

const GIB = 2 ** 30;
const rule = routeRule();

describe('routing a session by its size', () => {
  it('keeps a day-to-day 600 MB session on the function', () => {
    const r = routeSession(600e6, rule);
    expect(r).toMatchObject({ path: 'function', timeoutSec: PROCESS_LIMITS.timeoutSec - 20 });
    expect(r.predictedSec).toBeCloseTo((600e6 / GIB) * PROCESS_RATE.cpuSecondsPerGiB, 6);
  });

  it('sends the 40 GiB session of issue 25 to the container path instead of retrying it to death', () => {
    const r = routeSession(40 * GIB, rule);
    expect(r.path).toBe('container');
    // Its timeout covers the prediction with the margin, and is never under the container's floor.
    expect(r.timeoutSec).toBeGreaterThanOrEqual(r.predictedSec * PROCESS_RATE.margin);
    expect(r.timeoutSec).toBe(Math.max(CONTAINER_LIMITS.minTimeoutSec, Math.ceil(40 * 21 * 2)) + CONTAINER_LIMITS.startSec);
    expect(r.reason).toMatch(/over the function's 880 s with a 2x margin; container job with a \d+ s timeout/);
  });

  it('switches exactly where the prediction times the margin passes the function budget', () => {
    const edge = functionMaxBytes(rule);
    expect(predictSeconds(edge, rule) * rule.margin).toBeLessThanOrEqual(rule.functionBudgetSec);
    expect(routeSession(edge, rule).path).toBe('function');
    expect(routeSession(edge + 1024 * 1024, rule).path).toBe('container');
    // About 21 GiB at 21 CPU s per GiB, a 2x margin and 880 s.
    expect(edge / GIB).toBeCloseTo(880 / 2 / 21, 2);
  });

  it('sizes the largest file the quota allows (500 GiB) a timeout that grows with it', () => {
    const r = routeSession(500 * GIB, rule);
    expect(r).toMatchObject({ path: 'container', timeoutSec: 500 * 21 * 2 + CONTAINER_LIMITS.startSec });
  });

  it("caps the timeout at the container's 14 days and says the session will likely not finish there", () => {
    const r = routeSession(40_000 * GIB, rule);
    expect(r).toMatchObject({ path: 'container', timeoutSec: CONTAINER_LIMITS.maxTimeoutSec });
    expect(r.reason).toContain(`over the container's ${14 * 86_400} s limit too`);
  });

  it('treats an unknown size as empty (the function then reports the missing manifest)', () => {
    expect(routeSession(0, rule).path).toBe('function');
    expect(routeSession(-5, rule).predictedSec).toBe(0);
  });
});
