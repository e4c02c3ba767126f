/**
 * Choosing the part size from what the link shows (pure; the engine feeds it the first parts'
 * PUT times). The trade-off: the part buffers share a fixed memory budget, so small parts mean
 * more parts in flight (needed where each connection is capped, as on a real network), and big
 * parts mean fewer requests (a presign and a PUT each: the cost that bounds a fast link).
 *
 * The rule is Little's law: `inFlight` parts whose PUTs each carry `rate` bytes a second move at
 * most inFlight x rate. If the parts in flight that the budget allows at the large size would
 * still carry the throughput the small parts reach now (with a margin), the link is not what
 * holds the upload back, and large parts save requests. Otherwise stay small. On a link that
 * caps connections the per-PUT rate is the cap (measured: 27 MB/s under a 25 MB/s cap, against
 * 140 MB/s on loopback with as many parts in flight).
 */

/** One PUT that went through: its body size and how long it took, from request to answer. */
export interface PutSample {
  bytes: number;
  ms: number;
}

export interface PartSizeInput {
  /** The PUTs seen so far (at least `MIN_SAMPLES` are needed for a choice). */
  samples: PutSample[];
  /** Milliseconds from the first PUT's start to the last sample's answer. */
  spanMs: number;
  /** The configured part size (the one used until a choice is made). */
  small: number;
  /** The largest part size to grow to. */
  large: number;
  /** Bytes the part buffers may take. */
  budget: number;
}

/** PUTs to see before choosing: enough that one slow start does not decide. */
export const MIN_SAMPLES = 8;

/** The large size must carry this much more than what the upload moves now. */
export const MARGIN = 1.5;

/** The part size for files started from now on, or undefined while there are too few samples. */
export function choosePartSize(input: PartSizeInput): number | undefined {
  const { samples, spanMs, small, large, budget } = input;
  if (large <= small) return small;
  if (samples.length < MIN_SAMPLES || spanMs <= 0) return undefined;
  const moved = samples.reduce((n, s) => n + s.bytes, 0) / spanMs;
  const rates = samples.map((s) => s.bytes / Math.max(s.ms, 1e-3)).sort((a, b) => a - b);
  const perPut = rates[Math.floor(rates.length / 2)];
  const inFlightLarge = Math.max(1, Math.floor(budget / large));
  return inFlightLarge * perPut >= MARGIN * moved ? large : small;
}
