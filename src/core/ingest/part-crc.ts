/**
 * A part's CRC32C from the block CRC32Cs of the hashing pass (the worker hashes each file once,
 * in blocks of a fixed size, before the part size of the file is known). Parts start on block
 * boundaries: part sizes are multiples of the block size (core/ingest/plan.ts keeps them whole
 * MiB, the engine picks a block size that divides every part size in use).
 */
import { crc32cCombine } from './crc32c-combine.js';
import type { PartRange } from './plan.js';

/** The block CRC32Cs of one file as far as the hashing pass has read it. */
export interface BlockCrcs {
  blockSize: number;
  /** CRC32C of block i, bytes [i * blockSize, (i + 1) * blockSize), the last one perhaps shorter. */
  crcs: readonly number[];
  /** Bytes covered by `crcs`. */
  bytes: number;
}

/**
 * The CRC32C of `part`, or undefined while the hashing pass has not read all of it. Throws if
 * the part does not start on a block boundary, or ends inside a block other than the file's last.
 */
export function partCrc32c(blocks: BlockCrcs, part: PartRange): number | undefined {
  const { blockSize, crcs } = blocks;
  const end = part.offset + part.size;
  if (part.offset % blockSize !== 0) throw new Error(`part ${part.partNumber} starts at ${part.offset}, not on a ${blockSize}-byte block boundary`);
  if (blocks.bytes < end) return undefined;
  const first = part.offset / blockSize;
  const last = Math.ceil(end / blockSize) - 1;
  const lastBytes = end - last * blockSize;
  if (lastBytes !== blockSize && end !== blocks.bytes) throw new Error(`part ${part.partNumber} ends inside block ${last}`);
  let crc = crcs[first];
  for (let i = first + 1; i <= last; i++) crc = crc32cCombine(crc, crcs[i], i === last ? lastBytes : blockSize);
  // A part of one block: that block's CRC (its length was the block's own).
  return crc >>> 0;
}

/** Greatest common divisor, for the block size that divides every part size in use. */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
