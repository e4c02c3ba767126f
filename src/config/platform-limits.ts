/**
 * The processing function's platform limits, in one place: the CDK stack sizes the process
 * Lambda from these (memory, /tmp, timeout) and local processing runs under the same numbers,
 * so a session that would not fit the deployed function fails locally too.
 *
 * AWS: memory 128-10240 MB, ephemeral storage (/tmp) 512-10240 MB (512 MB is the free
 * default), timeout at most 900 s (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */

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
