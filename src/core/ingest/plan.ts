/**
 * Part planning: how a file is cut into multipart parts. Pure; the journal records the plan so
 * a resumed upload cuts the file the same way.
 */
export interface PartRange {
  partNumber: number;
  offset: number;
  size: number;
}

/** S3 allows at most 10,000 parts; the part size grows if a file would need more. */
export const MAX_PARTS = 10_000;

const MiB = 1024 * 1024;

/**
 * The part size a file is cut with: the one asked for, or more for a file that would need over
 * 10,000 parts, rounded up to whole MiB so that every part starts on a block boundary of the
 * hashing pass (core/ingest/part-crc.ts).
 */
export function effectivePartSize(fileSize: number, partSize: number): number {
  const fewest = Math.ceil(fileSize / MAX_PARTS);
  return fewest <= partSize ? partSize : Math.max(partSize, Math.ceil(fewest / MiB) * MiB);
}

export function planParts(fileSize: number, partSize: number): PartRange[] {
  const size = effectivePartSize(fileSize, partSize);
  const parts: PartRange[] = [];
  for (let offset = 0, n = 1; offset < fileSize; offset += size, n++) parts.push({ partNumber: n, offset, size: Math.min(size, fileSize - offset) });
  return parts;
}

/**
 * The length of part `partNumber` of an upload of `fileSize` bytes cut in parts of `partSize`
 * (the effective size): `partSize` for every part but the last, the rest for the last;
 * undefined for a part number the upload does not have. The API signs exactly this length.
 */
export function plannedPartSize(fileSize: number, partSize: number, partNumber: number): number | undefined {
  const count = Math.ceil(fileSize / partSize);
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > count) return undefined;
  return partNumber < count ? partSize : fileSize - (count - 1) * partSize;
}

export function useMultipart(fileSize: number, threshold: number): boolean {
  return fileSize >= threshold;
}
