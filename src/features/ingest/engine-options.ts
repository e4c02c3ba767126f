/**
 * The upload engine's settings from the configuration, one place for `recpipe upload` and
 * `recpipe watch`: part size (and the size parts may grow to), parts in flight from the memory budget (a --concurrency flag
 * caps them further), and the --bwlimit timetable on the system clock.
 */
import { systemClock } from '../../adapters/system/clock.js';
import { parseBwlimit } from '../../core/ingest/bwlimit.js';
import type { Clock } from '../../core/ports.js';
import { DEFAULTS, type Config } from '../../config/schema.js';
import { Throttle } from './throttle.js';
import type { UploadOptions } from './upload-session.js';

/** Most PUTs in flight whatever the budget: beyond this a rig's link is full anyway. */
export const MAX_PARTS_IN_FLIGHT = 64;

/** The part size a file may grow to when the link is not the limit (part-sizer.ts): fewer requests. */
export const LARGE_PART_MIB = 16;

/**
 * The size parts may grow to: 16 MiB, at most a quarter of the budget (so that large parts still
 * leave four in flight). A part size set to anything but the default (flag, environment or config
 * file) is taken as asked: parts stay that size, as a kill's re-sent bytes bound assumes.
 */
export function largePartMiB(config: Pick<Config, 'partSizeMiB' | 'uploadMemoryMiB'>): number {
  if (config.partSizeMiB !== DEFAULTS.partSizeMiB) return config.partSizeMiB;
  return Math.max(config.partSizeMiB, Math.min(LARGE_PART_MIB, Math.floor(config.uploadMemoryMiB / 4)));
}

export function uploadOptions(config: Config, flags: { concurrency?: number }, clock: Clock = systemClock): UploadOptions {
  return {
    partSize: config.partSizeMiB * 1024 * 1024,
    largePartSize: largePartMiB(config) * 1024 * 1024,
    multipartThreshold: config.multipartThresholdMiB * 1024 * 1024,
    concurrency: flags.concurrency ?? MAX_PARTS_IN_FLIGHT,
    memoryBudget: config.uploadMemoryMiB * 1024 * 1024,
    throttle: config.bwlimit ? new Throttle(parseBwlimit(config.bwlimit), clock) : undefined,
  };
}
