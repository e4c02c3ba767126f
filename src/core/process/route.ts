/**
 * Which compute path processes a session, decided from its size before any work starts, the
 * same way on AWS and in the embedded stack. Processing is one stream at a time on one thread,
 * so its run time is its CPU time: the session's bytes at the measured rate (CPU seconds per
 * GiB of raw input, re-measured with `node scripts/bench-big.js --gib 1 --format int16le`).
 * A session whose predicted time, times a safety margin, fits the function's timeout runs
 * there; any other goes to the container path, with a timeout sized from the same prediction,
 * so a big session is neither cut off at 15 minutes nor retried until it is dead.
 */

/** The compute paths. */
export type ComputePath = 'function' | 'container';

/** What a route is decided from. */
export interface RouteRule {
  /** CPU seconds processing spends per GiB of raw input (measured). */
  cpuSecondsPerGiB: number;
  /** Factor on the prediction that must still fit (machines, formats and load differ). */
  margin: number;
  /** Time one function attempt has for the work, seconds (its timeout less what ending takes). */
  functionBudgetSec: number;
  /** Shortest timeout the container path gets, seconds. */
  containerMinTimeoutSec: number;
  /** Added to a container timeout for pulling the image and starting, seconds. */
  containerStartSec: number;
  /** Longest a container attempt may run, seconds (Fargate: 14 days). */
  containerMaxTimeoutSec: number;
}

/** The decision, with the numbers behind it (logged and shown). */
export interface Route {
  path: ComputePath;
  /** Predicted processing time, seconds. */
  predictedSec: number;
  /** The timeout the attempt runs under on that path, seconds. */
  timeoutSec: number;
  /** One line for logs and the ledger's readers. */
  reason: string;
}

const GIB = 2 ** 30;

/** Predicted processing seconds for `bytes` of raw input. */
export function predictSeconds(bytes: number, rule: Pick<RouteRule, 'cpuSecondsPerGiB'>): number {
  return (Math.max(0, bytes) / GIB) * rule.cpuSecondsPerGiB;
}

/** The largest session, bytes, the function path takes under `rule`. */
export function functionMaxBytes(rule: RouteRule): number {
  return Math.floor((rule.functionBudgetSec / rule.margin / rule.cpuSecondsPerGiB) * GIB);
}

/** Routes a session of `totalBytes`. */
export function routeSession(totalBytes: number, rule: RouteRule): Route {
  const predictedSec = predictSeconds(totalBytes, rule);
  const gib = (totalBytes / GIB).toFixed(1);
  const predicted = `${Math.ceil(predictedSec)} s predicted for ${gib} GiB at ${rule.cpuSecondsPerGiB} CPU s/GiB`;
  if (predictedSec * rule.margin <= rule.functionBudgetSec)
    return {
      path: 'function',
      predictedSec,
      timeoutSec: rule.functionBudgetSec,
      reason: `${predicted}: fits the function's ${rule.functionBudgetSec} s with a ${rule.margin}x margin`,
    };
  const wanted = Math.max(rule.containerMinTimeoutSec, Math.ceil(predictedSec * rule.margin)) + rule.containerStartSec;
  const timeoutSec = Math.min(wanted, rule.containerMaxTimeoutSec);
  // Over even the container's limit: it is still tried there (the raw data is kept whatever
  // happens); the reason says so, and a failed attempt alarms like any other.
  const over = wanted > timeoutSec ? `; over the container's ${rule.containerMaxTimeoutSec} s limit too, so it will likely fail` : '';
  return {
    path: 'container',
    predictedSec,
    timeoutSec,
    reason: `${predicted}: over the function's ${rule.functionBudgetSec} s with a ${rule.margin}x margin; container job with a ${timeoutSec} s timeout${over}`,
  };
}
