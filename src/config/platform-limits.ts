/**
 * The processing function's platform limits, in one place: the CDK stack sizes the process
 * Lambda from these (memory, /tmp, timeout) and local processing runs under the same numbers,
 * so a session that would not fit the deployed function fails locally too.
 *
 * AWS: memory 128-10240 MB, ephemeral storage (/tmp) 512-10240 MB (512 MB is the free
 * default), timeout at most 900 s (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */

import type { RouteRule } from '../core/process/route.js';

/** Limits one processing attempt runs under. */
export interface ProcessLimits {
  /** Function memory, MB (CDK `memorySize`); the streaming path stays far below it. */
  memoryMb: number;
  /** Size of /tmp, MB (CDK `ephemeralStorageSize`); only external processors stage files there. */
  ephemeralStorageMb: number;
  /** Function timeout, seconds (CDK `timeout`); an attempt is aborted when it runs out. */
  timeoutSec: number;
}

export const LAMBDA_LIMITS = { minMemoryMb: 128, maxMemoryMb: 10_240, minEphemeralMb: 512, maxEphemeralMb: 10_240, maxTimeoutSec: 900 } as const;

/** The settings both the synthesized template and the embedded stack use. */
export const PROCESS_LIMITS: ProcessLimits = { memoryMb: 2048, ephemeralStorageMb: 512, timeoutSec: 900 };

/**
 * What a function attempt keeps back from its timeout so that its failure still reaches the
 * ledger (the Lambda handler aborts the work this long before the function would be stopped).
 */
export const LEDGER_MARGIN_SEC = 20;

/**
 * The container path (AWS Batch on Fargate; locally the same code in-process): sessions the
 * function cannot finish. vCPU and memory are a Fargate pair (2 vCPU: processing's thread plus
 * the SDK, hashing and GC around it); ephemeral storage is Fargate's 21-200 GiB, for external
 * processors that stage the session. Its timeout is set per job from the route (core/process/route.ts),
 * at most 14 days (AWS Batch: jobs on Fargate cannot be expected to run longer).
 */
export const CONTAINER_LIMITS = { vcpu: 2, memoryMb: 8192, ephemeralStorageGiB: 100, minTimeoutSec: 3600, startSec: 600, maxTimeoutSec: 14 * 86_400 } as const;

/**
 * Processing speed: CPU seconds per GiB of raw input, measured with
 * `node scripts/bench-big.js --gib 1 --format int16le` (21.1 on this project's 2-core VM,
 * docs/performance.md; float32 input took 12.7), and the factor a prediction must fit with.
 */
export const PROCESS_RATE = { cpuSecondsPerGiB: 21, margin: 2 } as const;

/** The routing rule both AWS (the process function) and the embedded stack apply. */
export function routeRule(limits: ProcessLimits = PROCESS_LIMITS): RouteRule {
  return {
    cpuSecondsPerGiB: PROCESS_RATE.cpuSecondsPerGiB,
    margin: PROCESS_RATE.margin,
    functionBudgetSec: limits.timeoutSec - LEDGER_MARGIN_SEC,
    containerMinTimeoutSec: CONTAINER_LIMITS.minTimeoutSec,
    containerStartSec: CONTAINER_LIMITS.startSec,
    containerMaxTimeoutSec: CONTAINER_LIMITS.maxTimeoutSec,
  };
}

/** The limits an attempt on the container path runs under, for a route's timeout. */
export function containerLimits(timeoutSec: number): ProcessLimits {
  return { memoryMb: CONTAINER_LIMITS.memoryMb, ephemeralStorageMb: CONTAINER_LIMITS.ephemeralStorageGiB * 1024, timeoutSec };
}

/** Throws a message naming the setting when a value is outside what Lambda accepts. */
export function checkProcessLimits(l: ProcessLimits): ProcessLimits {
  const bad = (what: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`process ${what} ${v} is outside what Lambda accepts (${lo}-${hi})`);
  };
  bad('memory (MB)', l.memoryMb, LAMBDA_LIMITS.minMemoryMb, LAMBDA_LIMITS.maxMemoryMb);
  bad('ephemeral storage (MB)', l.ephemeralStorageMb, LAMBDA_LIMITS.minEphemeralMb, LAMBDA_LIMITS.maxEphemeralMb);
  bad('timeout (s)', l.timeoutSec, 1, LAMBDA_LIMITS.maxTimeoutSec);
  return l;
}
