/**
 * CRC32C of a concatenation from the CRC32Cs of its pieces, so a part's checksum can be put
 * together from the checksums of the fixed-size blocks the hashing pass saw (core/ingest/part-crc.ts)
 * whatever part size the file is later cut with. Pure arithmetic over GF(2).
 *
 * Why it works: a CRC register fed zero bytes changes linearly, so with `Z^n` the change made
 * by n zero bytes, crc(A ++ B) = Z^n(crc(A)) xor crc(B) for n = |B| (the initial value and the
 * final xor of CRC32C cancel out). `Z^n` is a 32x32 bit matrix, kept as its 32 columns and
 * raised to n by squaring; the matrices of the lengths in use are cached.
 */

/** CRC32C's reflected polynomial (Castagnoli). */
const POLY = 0x82f63b78;

/** A linear map of 32-bit values: column i is the image of bit i. */
type BitMatrix = Uint32Array;

function apply(m: BitMatrix, v: number): number {
  let out = 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) if (v & 1) out ^= m[i];
  return out >>> 0;
}

/** `a` after `b`. */
function compose(a: BitMatrix, b: BitMatrix): BitMatrix {
  const out = new Uint32Array(32);
  for (let i = 0; i < 32; i++) out[i] = apply(a, b[i]);
  return out;
}

/** The register after one zero byte: eight shifts of the reflected register. */
const ONE_ZERO_BYTE: BitMatrix = (() => {
  const m = new Uint32Array(32);
  for (let i = 0; i < 32; i++) {
    let v = 1 << i;
    for (let k = 0; k < 8; k++) v = v & 1 ? (v >>> 1) ^ POLY : v >>> 1;
    m[i] = v >>> 0;
  }
  return m;
})();

const IDENTITY: BitMatrix = Uint32Array.from({ length: 32 }, (_, i) => (1 << i) >>> 0);
const cache = new Map<number, BitMatrix>();

/** `Z^bytes`: what `bytes` zero bytes do to a register. */
function zeroBytes(bytes: number): BitMatrix {
  const hit = cache.get(bytes);
  if (hit) return hit;
  let result = IDENTITY;
  let square = ONE_ZERO_BYTE;
  for (let n = bytes; n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) result = compose(square, result);
    if (n > 1) square = compose(square, square);
  }
  // Few distinct lengths occur (the block size and a file's last block); keep the cache bounded anyway.
  if (cache.size > 64) cache.clear();
  cache.set(bytes, result);
  return result;
}

/** CRC32C of A ++ B from `crcA`, `crcB` and B's length in bytes (unsigned 32-bit values). */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB === 0) return crcA >>> 0;
  return (apply(zeroBytes(lengthB), crcA >>> 0) ^ crcB) >>> 0;
}
