/**
 * How many connections a pull keeps in flight: one per file to begin with, and more (joining a
 * file to fetch byte ranges of it) while this process has CPU to spare.
 *
 * Why a load signal and not a fixed number: extra connections pay on a link that caps each one
 * (S3 serves each connection at a bounded rate; AWS advises parallel byte-range GETs), and cost
 * where nothing caps them: every out-of-order range is read back from the page cache for the
 * in-order SHA-256, and every request costs a presign and a connection. Which case holds shows in
 * the client itself. When the event loop is busy most of the time, the bytes already come as
 * fast as this process can hash and write them, and more connections only add work; when it
 * waits most of the time, the bytes are held up outside, and ranges over more connections
 * fetch them sooner. Measured on a 2-core machine (600 MB, 4 files in flight, one connection
 * each): the loop was busy 89-100 % of each 100 ms on loopback, 30-70 % behind a link of 50 MB/s
 * per connection.
 */

/** The event loop's busy time and total time, in ms, since the previous call. */
export type LoadSampler = () => { activeMs: number; totalMs: number };

/** Reads Node's event-loop utilization. */
export function eventLoopSampler(): LoadSampler {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const d = performance.eventLoopUtilization(now, last);
    last = now;
    return { activeMs: d.active, totalMs: d.active + d.idle };
  };
}

/** The connections that joined a file beyond its own, against a limit that may change. */
export class Spread {
  private joined = 0;

  constructor(private readonly limit: () => number) {}

  /** May one more connection join now? Counted if so. */
  join(): boolean {
    if (this.joined >= this.limit()) return false;
    this.joined++;
    return true;
  }

  /** A connection that joined is done. */
  leave(): void {
    this.joined--;
  }

  /** More have joined than are allowed now (one should leave after its range). */
  over(): boolean {
    return this.joined > this.limit();
  }
}

/** Always the same number of joiners (tests). */
export const fixedSpread = (n: number): Spread => new Spread(() => n);

export interface LoadLimitOptions {
  /** Joiners never to exceed (the slot pool less the files in flight). */
  max: number;
  sample: LoadSampler;
  /** Judge the load over windows at least this long (ms). */
  windowMs?: number;
  /** Busy share under which a window counts as idle. */
  grow?: number;
  /** Idle windows in a row before more joiners are allowed. */
  growAfter?: number;
  /** Busy share over which a window counts as saturated. */
  shrink?: number;
  /** Saturated windows in a row before one joiner fewer is allowed. */
  shrinkAfter?: number;
}

/**
 * The number of joiners from the loop's busy share, judged over windows of `windowMs` (50 ms):
 * none to begin with; after `growAfter` (2) windows in a row under `grow` (0.7), half of `max`
 * more (a transfer of a few hundred MB lasts a second or two, so the ramp must be short); after
 * `shrinkAfter` (8) windows in a row over `shrink` (0.95), one fewer (a joiner leaves after its
 * range). Shrinking is slow on purpose: once any connection has joined, nearly every byte is read
 * back for the hash whatever their number, so a loop that is busy because the bytes arrive as
 * fast as it can take them loses nothing to the joiners it has, while too few connections on a
 * capped link lose rate at once (measured: shrinking after each busy window swung between 3 and
 * 12 connections). Two idle windows, not one, keep a pause at start-up from adding any.
 */
export class LoadLimit {
  private limit = 0;
  private active = 0;
  private total = 0;
  private idle = 0;
  private busy = 0;
  private readonly o: Required<LoadLimitOptions>;

  constructor(o: LoadLimitOptions) {
    this.o = { windowMs: 50, grow: 0.7, growAfter: 2, shrink: 0.95, shrinkAfter: 8, ...o, max: Math.max(0, o.max) };
  }

  allowed(): number {
    const s = this.o.sample();
    this.active += s.activeMs;
    this.total += s.totalMs;
    if (this.total < this.o.windowMs) return this.limit;
    const share = this.active / this.total;
    this.active = this.total = 0;
    this.idle = share < this.o.grow ? this.idle + 1 : 0;
    this.busy = share > this.o.shrink ? this.busy + 1 : 0;
    if (this.idle >= this.o.growAfter) {
      this.limit = Math.min(this.o.max, this.limit + Math.max(1, Math.ceil(this.o.max / 2)));
      this.idle = 0;
    } else if (this.busy >= this.o.shrinkAfter) {
      this.limit = Math.max(0, this.limit - 1);
      this.busy = 0;
    }
    return this.limit;
  }
}

/** Joiners while the event loop has time to spare. */
export function loadSpread(o: LoadLimitOptions): Spread {
  const l = new LoadLimit(o);
  return new Spread(() => l.allowed());
}
