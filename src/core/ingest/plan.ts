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

export function effectivePartSize(fileSize: number, partSize: number): number {
  return Math.max(partSize, Math.ceil(fileSize / MAX_PARTS));
}

export function planParts(fileSize: number, partSize: number): PartRange[] {
  const size = effectivePartSize(fileSize, partSize);
  const parts: PartRange[] = [];
  for (let offset = 0, n = 1; offset < fileSize; offset += size, n++) parts.push({ partNumber: n, offset, size: Math.min(size, fileSize - offset) });
  return parts;
}

export function useMultipart(fileSize: number, threshold: number): boolean {
  return fileSize >= threshold;
}
