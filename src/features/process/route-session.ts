/**
 * Routes one committed session to its compute path before processing it (core/process/route.ts
 * decides from the newest manifest's bytes): the function path processes it here, under the
 * function's limits; the container path hands it to a runner, which on AWS submits a Batch job
 * and in the embedded stack runs the same processing in this process under the container's
 * limits. Either way the ledger records the path the attempt ran on.
 */
import { containerLimits, routeRule } from '../../config/platform-limits.js';
import { EVENTS } from '../../core/events.js';
import type { SessionRef } from '../../core/layout.js';
import { routeSession, type Route, type RouteRule } from '../../core/process/route.js';
import { readNewestRevision } from '../../core/session/revisions.js';
import { processSession, type ProcessDeps, type ProcessOutcome } from './process-session.js';

/** Runs (or hands off) a session routed to the container path. */
export type ContainerRunner = (ref: SessionRef, route: Route) => Promise<ProcessOutcome>;

/** Processing dependencies plus the container path and, for tests, another rule. */
export interface RoutedDeps extends ProcessDeps {
  container: ContainerRunner;
  /** The routing rule: routeRule() (the process function's timeout, the measured rate) by default. */
  rule?: RouteRule;
}

/** The route of `ref` from its newest manifest (an unreadable manifest routes to the function, which reports it). */
export async function routeOf(ref: SessionRef, deps: Pick<RoutedDeps, 'raw' | 'rule'>): Promise<Route> {
  const newest = await readNewestRevision(deps.raw, ref).catch(() => undefined);
  return routeSession(newest?.manifest.totalBytes ?? 0, deps.rule ?? routeRule());
}

/** Routes and processes one session; the outcome carries the route. */
export async function processRouted(ref: SessionRef, deps: RoutedDeps): Promise<ProcessOutcome & { route: Route }> {
  const route = await routeOf(ref, deps);
  if (route.path === 'function') return { ...(await processSession(ref, { ...deps, computePath: 'function' })), route };
  deps.logger.log('info', EVENTS.processRouted.name, {
    sessionId: `${ref.rig}/${ref.session}`,
    path: route.path,
    predictedSec: Math.ceil(route.predictedSec),
    timeoutSec: route.timeoutSec,
    reason: route.reason,
  });
  return { ...(await deps.container(ref, route)), route };
}

/** The embedded stack's container path: the same processing, here, under the container's limits and the route's timeout. */
export function inProcessContainer(deps: ProcessDeps): ContainerRunner {
  return (ref, route) => processSession(ref, { ...deps, computePath: 'container', limits: containerLimits(route.timeoutSec) });
}
