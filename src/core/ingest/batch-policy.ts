/**
 * When the upload asks the API for the next batch of URLs, and how far ahead it signs (pure; the
 * URL broker, src/features/ingest/url-broker.ts, feeds it what it measured).
 *
 * - **Low water**: ask again once the parts with a URL ready, not yet begun, would last less than
 *   two API round trips at the rate the upload moves (at least the parts one window sends at
 *   once; two windows before a rate is measured): the next batch then arrives before any part
 *   waits for it.
 * - **High water**: sign at most what the link carries in half a URL's lifetime, so URLs are used
 *   long before they expire on a slow link, and at most `MAX_AHEAD` on a fast one.
 * - **Enough to ask**: a batch waits until `MIN_BATCH` bytes (or all that is left) have been hashed
 *   (their part checksums are known), so a session costs a few calls, not one per part; asked
 *   ahead (no part waiting yet), it also waits rather than leave a small tail for another call.
 */

export const MiB = 1024 * 1024;
/** The least a batch covers when more than that is left: 600 MB sessions take 2-3 batches. */
export const MIN_BATCH = 128 * MiB;
/** Before a rate is known, sign up to this much ahead. */
export const INITIAL_AHEAD = 1024 * MiB;
/** The most signed ahead on any link. */
export const MAX_AHEAD = 8192 * MiB;

export interface LinkFigures {
  /** Bytes a second the upload moves (undefined until measured). */
  rate?: number;
  /** Seconds one batch call takes, answer included (undefined before the first). */
  rttSec?: number;
  /** Seconds a URL lives. */
  ttlSec: number;
  /** Bytes of the parts one window keeps in flight. */
  windowBytes: number;
}

export interface AheadBounds {
  /** Ask again when fewer bytes than this have a URL ready. */
  low: number;
  /** Sign up to this many bytes ahead. */
  high: number;
  /** A batch waits for this many signable bytes (or all that is left). */
  minBatch: number;
}

export function aheadBounds(l: LinkFigures): AheadBounds {
  // Before a rate is measured (the first parts are still on their way), two windows: the one in
  // flight and the next, so the second batch already holds what the window takes after the first.
  const low = l.rate !== undefined && l.rttSec !== undefined ? Math.max(l.windowBytes, 2 * l.rate * l.rttSec) : 2 * l.windowBytes;
  const byLifetime = l.rate === undefined ? INITIAL_AHEAD : Math.min(MAX_AHEAD, (l.rate * l.ttlSec) / 2);
  return { low, high: Math.max(2 * low, byLifetime), minBatch: Math.min(MIN_BATCH, byLifetime / 2) };
}

/**
 * Whether a batch is worth a call: everything left is signable, or at least `minBatch` is and
 * (unless a part already waits for its URL) what would be left after it is a batch's worth too,
 * not a tail that would cost one more call soon after.
 */
export function enoughToAsk(signableBytes: number, pendingBytes: number, minBatch: number, someoneWaits = true): boolean {
  if (signableBytes <= 0) return false;
  if (signableBytes >= pendingBytes) return true;
  return signableBytes >= minBatch && (someoneWaits || pendingBytes - signableBytes >= minBatch);
}
