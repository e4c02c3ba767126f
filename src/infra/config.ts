/** Deployment settings: CDK context (`-c key=value`) over defaults. */
import { checkProcessLimits, PROCESS_LIMITS } from '../config/platform-limits.js';

export interface InfraConfig {
  prefix: string;
  rawRetentionDays: number;
  objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  breakGlassRoleName: string;
  alarmEmail?: string;
  processorMemoryMb: number;
  processorTimeoutSec: number;
  /** The process function's /tmp, MB. */
  processorEphemeralMb: number;
  logRetentionDays: number;
  noUploadHours: number;
  athenaBytesScannedCutoff: number;
}

export const DEFAULT_INFRA: InfraConfig = {
  prefix: 'recpipe',
  rawRetentionDays: 365,
  objectLockMode: 'GOVERNANCE',
  breakGlassRoleName: 'recpipe-break-glass',
  // The process function's sizing is the platform-limits object local processing runs under too.
  processorMemoryMb: PROCESS_LIMITS.memoryMb,
  processorTimeoutSec: PROCESS_LIMITS.timeoutSec,
  processorEphemeralMb: PROCESS_LIMITS.ephemeralStorageMb,
  logRetentionDays: 90,
  noUploadHours: 36,
  athenaBytesScannedCutoff: 1024 * 1024 * 1024,
};

export function infraConfig(context: (key: string) => unknown): InfraConfig {
  const c: Record<string, unknown> = { ...DEFAULT_INFRA };
  for (const key of Object.keys(DEFAULT_INFRA).concat('alarmEmail')) {
    const v = context(key);
    if (v === undefined) continue;
    c[key] = typeof (DEFAULT_INFRA as unknown as Record<string, unknown>)[key] === 'number' ? Number(v) : String(v);
  }
  const cfg = c as unknown as InfraConfig;
  if (!/^[a-z0-9-]{3,20}$/.test(cfg.prefix)) throw new Error(`context "prefix" ${JSON.stringify(cfg.prefix)}: use 3-20 lowercase letters, digits or dashes`);
  if (!['GOVERNANCE', 'COMPLIANCE'].includes(cfg.objectLockMode)) throw new Error(`context "objectLockMode" must be GOVERNANCE or COMPLIANCE`);
  checkProcessLimits({ memoryMb: cfg.processorMemoryMb, ephemeralStorageMb: cfg.processorEphemeralMb, timeoutSec: cfg.processorTimeoutSec });
  return cfg;
}
