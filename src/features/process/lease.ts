/**
 * The processing lease of one attempt: the ledger entry this worker claimed, renewed every
 * third of its length while the work runs (a long attempt must not look stuck, nor be taken
 * over). Renewals are conditional on the ledger's ETag: if another worker wrote the entry
 * meanwhile, the lease is lost and this attempt publishes nothing more.
 */
import type { LedgerEntry } from '../../core/catalog/types.js';
import { RecpipeError, messageOf } from '../../core/errors.js';
import type { Clock, Logger, ObjectStore } from '../../core/ports.js';

export class Lease {
  lost: RecpipeError | undefined;
  private renewal: Promise<void> = Promise.resolve();
  private readonly stopped = new AbortController();

  constructor(
    private readonly lake: ObjectStore,
    private readonly key: string,
    public entry: LedgerEntry,
    public etag: string | undefined,
    private readonly leaseMs: number,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Starts the periodic renewal: a third of the lease on the clock, then a renewal, until stopped. */
  start(): void {
    const every = Math.max(20, Math.floor(this.leaseMs / 3));
    const signal = this.stopped.signal;
    void (async () => {
      while (!signal.aborted) {
        // A stop rejects the sleep; a stop between the wake-up and here must not renew after it.
        if (
          !(await this.clock.sleep(every, signal).then(
            () => !signal.aborted,
            () => false,
          ))
        )
          return;
        this.renew();
        await this.renewal;
      }
    })();
  }

  private renew(): void {
    this.renewal = this.renewal.then(async () => {
      if (this.lost) return;
      const next = { ...this.entry, lease_expires_at: new Date(this.clock.now().getTime() + this.leaseMs).toISOString() };
      try {
        this.etag = (await this.lake.put(this.key, JSON.stringify(next), { ifMatch: this.etag })).etag;
        this.entry = next;
        this.log.log('debug', 'process.lease_renewed', { until: next.lease_expires_at });
      } catch (e) {
        if (e instanceof RecpipeError && e.code === 'conflict') {
          this.lost = new RecpipeError(
            'conflict',
            `${this.entry.session_id}: another worker took over the ledger entry; this attempt's outputs are not published`,
          );
          this.log.log('warn', 'process.lease_lost', {});
        } else this.log.log('warn', 'process.lease_renew_failed', { error: messageOf(e) });
      }
    });
  }

  /** Confirms, with a conditional write, that the lease is still ours; throws when it is not. */
  async confirm(): Promise<void> {
    this.renew();
    await this.renewal;
    if (this.lost) throw this.lost;
  }

  /** Stops renewing (waiting for a renewal in flight). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await this.renewal;
  }

  /** Stops renewing and confirms the lease one last time. */
  async hold(): Promise<void> {
    this.stopped.abort();
    await this.confirm();
  }

  /** Writes the entry's final state, conditional on the lease still being ours. */
  async write(entry: LedgerEntry): Promise<void> {
    this.entry = entry;
    this.etag = (await this.lake.put(this.key, JSON.stringify(entry), { ifMatch: this.etag })).etag;
  }
}
