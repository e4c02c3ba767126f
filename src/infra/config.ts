/** Deployment settings: CDK context (`-c key=value`) over defaults. */
import { DEFAULT_QUOTA } from '../backend/quota/quota-store.js';
import { checkProcessLimits, PROCESS_LIMITS } from '../config/platform-limits.js';

export interface InfraConfig {
  prefix: string;
  rawRetentionDays: number;
  objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  breakGlassRoleName: string;
  /**
   * The role CloudFormation deploys with, allowed to change the raw bucket's policy, lifecycle
   * and retention settings. Default: the CDK bootstrap's CloudFormation execution role.
   */
  deployRoleArn?: string;
  alarmEmail?: string;
  processorMemoryMb: number;
  processorTimeoutSec: number;
  /** The process function's /tmp, MB. */
  processorEphemeralMb: number;
  /** The container path's ceiling: vCPUs its Fargate jobs may use at once (2 per job). */
  containerMaxVcpus: number;
  logRetentionDays: number;
  noUploadHours: number;
  athenaBytesScannedCutoff: number;
  /**
   * First year Athena's `dt` projection covers (the range ends a year after NOW). Set it to the
   * year of the lab's earliest recording: every day in the range is a partition Athena lists
   * on a query without a date filter.
   */
  catalogFirstYear: number;
  /** Per-rig quota enforced by the API (bytes and files per UTC day) and the largest file, bytes. */
  rigBytesPerDay: number;
  rigObjectsPerDay: number;
  maxFileBytes: number;
  /** Alarm when any rig's raw bytes in one UTC day pass this (an early warning below the quota). */
  rigBytesAlarm: number;
  /** WAF: POST /v1/auth requests per source IP per 5 minutes. */
  authPerIpPer5Min: number;
  /** WAF: requests per bearer token (per rig key) per 5 minutes. */
  requestsPerTokenPer5Min: number;
  /** WAF: requests per source IP per 5 minutes on the token routes (all rigs behind one NAT share it). */
  requestsPerIpPer5Min: number;
  /**
   * The lab's policy for revisions that change archived bytes, given to processing: `additive`
   * holds them for a person's decision, `all` accepts them. Operators set the same `acceptRevisions`
   * in their recpipe config, so `verify` and `status` judge by the same rule.
   */
  acceptRevisions: 'additive' | 'all';
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
  containerMaxVcpus: 8,
  logRetentionDays: 90,
  noUploadHours: 36,
  athenaBytesScannedCutoff: 1024 * 1024 * 1024,
  catalogFirstYear: 2020,
  rigBytesPerDay: DEFAULT_QUOTA.bytesPerDay,
  rigObjectsPerDay: DEFAULT_QUOTA.objectsPerDay,
  maxFileBytes: DEFAULT_QUOTA.maxFileBytes,
  rigBytesAlarm: 100 * 1000 ** 3,
  authPerIpPer5Min: 100,
  requestsPerTokenPer5Min: 6000,
  requestsPerIpPer5Min: 60_000,
  acceptRevisions: 'additive',
};

export function infraConfig(context: (key: string) => unknown): InfraConfig {
  const c: Record<string, unknown> = { ...DEFAULT_INFRA };
  for (const key of Object.keys(DEFAULT_INFRA).concat('alarmEmail', 'deployRoleArn')) {
    const v = context(key);
    if (v === undefined) continue;
    c[key] = typeof (DEFAULT_INFRA as unknown as Record<string, unknown>)[key] === 'number' ? Number(v) : typeof v === 'string' ? v : JSON.stringify(v);
  }
  const cfg = c as unknown as InfraConfig;
  if (!/^[a-z0-9-]{3,20}$/.test(cfg.prefix)) throw new Error(`context "prefix" ${JSON.stringify(cfg.prefix)}: use 3-20 lowercase letters, digits or dashes`);
  for (const [key, v] of Object.entries(DEFAULT_INFRA)) {
    if (typeof v === 'number' && !(Number.isFinite(c[key]) && (c[key] as number) > 0))
      throw new Error(`context "${key}" ${JSON.stringify(context(key))}: use a number > 0`);
  }
  if (!['GOVERNANCE', 'COMPLIANCE'].includes(cfg.objectLockMode)) throw new Error(`context "objectLockMode" must be GOVERNANCE or COMPLIANCE`);
  if (!['additive', 'all'].includes(cfg.acceptRevisions)) throw new Error(`context "acceptRevisions" must be additive or all`);
  if (!Number.isInteger(cfg.catalogFirstYear) || cfg.catalogFirstYear < 1970 || cfg.catalogFirstYear > 2999)
    throw new Error(`context "catalogFirstYear" ${JSON.stringify(cfg.catalogFirstYear)}: give a year 1970-2999 (session names' range)`);
  checkProcessLimits({ memoryMb: cfg.processorMemoryMb, ephemeralStorageMb: cfg.processorEphemeralMb, timeoutSec: cfg.processorTimeoutSec });
  return cfg;
}
