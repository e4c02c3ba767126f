/**
 * Per-rig daily upload quota: a conditional counter of bytes and objects per rig and UTC day.
 * Adapters: MemoryQuotaStore (tests), FileQuotaStore (the local stack), DynamoQuotaStore (AWS,
 * one conditional UpdateItem). One contract suite (test/contract/quota-store.contract.ts) runs
 * against every adapter it can reach.
 */

/** Totals counted for one rig on one UTC day. */
export interface QuotaUsage {
  bytes: number;
  objects: number;
}

/** A charge and the ceilings the totals must stay within after it. */
export interface QuotaCharge {
  rig: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  bytes: number;
  objects: number;
  maxBytes: number;
  maxObjects: number;
}

/**
 * Contract:
 * - `tryCharge` adds the charge to the rig's counter for the day only if both totals stay at or
 *   below their ceilings, and returns the totals after it; otherwise it changes nothing and
 *   returns undefined. It is atomic: of concurrent charges that together would cross a ceiling,
 *   only those that fit are counted.
 * - `usage` returns zeros for a rig or day never charged.
 * - Counters of different rigs and days are independent.
 */
export interface QuotaStore {
  tryCharge(charge: QuotaCharge): Promise<QuotaUsage | undefined>;
  usage(rig: string, day: string): Promise<QuotaUsage>;
}

/** Configured limits (CDK context / local stack options). */
export interface QuotaLimits {
  bytesPerDay: number;
  objectsPerDay: number;
  /** Largest single file a rig may upload, bytes. */
  maxFileBytes: number;
}

const TiB = 1024 ** 4;
/**
 * Defaults: about 100x the brief's 6 GB a day per lab, so a legitimate rig never meets them, while
 * one leaked key cannot write more than this per day (with Object Lock it cannot be removed).
 */
export const DEFAULT_QUOTA: QuotaLimits = { bytesPerDay: 1 * TiB, objectsPerDay: 100_000, maxFileBytes: 500 * 1024 ** 3 };

/** Whether a charge fits on top of `u`. */
export const fits = (u: QuotaUsage, c: QuotaCharge) => u.bytes + c.bytes <= c.maxBytes && u.objects + c.objects <= c.maxObjects;
