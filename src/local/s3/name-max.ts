/**
 * The longest file name the store's file system takes (NAME_MAX, in bytes), found by trying:
 * Node cannot ask pathconf(), and the limit differs between file systems (255 on ext4, xfs,
 * btrfs and tmpfs; less on some encrypted ones). rules/key.ts refuses keys s3rver would fail
 * to store under it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The most any Linux file system allows; longer names are not tried. */
export const NAME_MAX_CEILING = 255;

function fits(dir: string, length: number): boolean {
  const path = join(dir, 'n'.repeat(length));
  try {
    writeFileSync(path, '');
    rmSync(path, { force: true });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENAMETOOLONG') return false;
    throw e;
  }
}

/** NAME_MAX of the file system holding `dir` (a folder only this process writes), capped at 255. */
export function probeNameMax(dir: string): number {
  if (fits(dir, NAME_MAX_CEILING)) return NAME_MAX_CEILING;
  let [lo, hi] = [1, NAME_MAX_CEILING - 1];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(dir, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
