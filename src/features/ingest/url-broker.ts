/**
 * Hands the senders their URLs, asking the API for them in batches ahead of need (issue 30): one
 * call signs the parts of many files, and the next is asked while the current URLs still last
 * for two round trips, so a part does not wait for a distant API. One batch is in flight at a
 * time; the figures that pace it (rate, round trip, URL lifetime) are measured here and turned
 * into bounds by core/ingest/batch-policy.ts. A URL about to expire is signed again, and one the
 * store refused as expired is asked for again by its sender.
 */
import type { Checksum, PresignedRequest, SessionState } from '../../core/api.js';
import { MAX_BATCH_FILES, MAX_BATCH_PARTS, type BatchFileRequest } from '../../core/api-batch.js';
import { aheadBounds, enoughToAsk } from '../../core/ingest/batch-policy.js';
import type { JournalFile } from '../../core/ingest/journal-types.js';
import type { Clock, IngestApi, Logger } from '../../core/ports.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import { MultipartItem, PutItem, type Slot, type State } from './broker-items.js';
import type { HashWorker } from './hash-worker.js';
import type { TokenSource } from './token-source.js';

/** A URL handed out must still be valid this long (the part is read, then sent). */
const USABLE_MS = 30_000;

export interface BrokerDeps {
  api: IngestApi;
  tokens: TokenSource;
  session: string;
  hasher: HashWorker;
  /** The upload's retry policy (ingest/retry.ts) for each batch call. */
  retry: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  clock: Clock;
  /** A millisecond clock for round trips and rates (performance.now in production). */
  now: () => number;
  log: Logger;
  /** Bytes of the parts one window keeps in flight. */
  windowBytes: () => number;
  /** A multipart upload began: its id and ticket go to the journal. */
  onStarted: (entry: JournalFile) => void;
  signal?: AbortSignal;
  /** Ask the first batch for the session's state too (upload-send.ts: a first upload saves a call). */
  withState?: boolean;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class UrlBroker {
  private readonly items: (PutItem | MultipartItem)[] = [];
  private readonly byName = new Map<string, PutItem | MultipartItem>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly lowWaiters: (() => void)[] = [];
  private inFlight = false;
  private failed?: Error;
  private rttSec?: number;
  private ttlSec = 300;
  private sent = { bytes: 0, since: undefined as number | undefined };
  private readonly unsubscribe: () => void;
  private readonly onAbort = () => this.fail(this.deps.signal?.reason);
  /** Batch calls made, for reports. */
  calls = 0;
  /** The session's state as the first batch found it (only with `withState`). */
  readonly state: Promise<SessionState>;
  private gotState?: { resolve: (s: SessionState) => void; reject: (e: unknown) => void };

  constructor(private readonly deps: BrokerDeps) {
    this.state = new Promise((resolve, reject) => (this.gotState = deps.withState ? { resolve, reject } : undefined));
    this.state.catch(() => undefined);
    this.unsubscribe = deps.hasher.onProgress(() => (deps.hasher.failure ? this.fail(deps.hasher.failure) : this.kick()));
    deps.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** A file to send with one PUT (its SHA-256 comes from the hashing pass). */
  planPut(f: SessionFile, attempt: string | undefined, sha256: Promise<Checksum>): void {
    const item = new PutItem(f, attempt);
    this.add(item);
    sha256.then(
      (c) => ((item.checksum = c), this.kick()),
      (e: unknown) => this.fail(e),
    );
  }

  /** A multipart file, its part size fixed in `entry` (resumed: its upload id and ticket too). */
  planMultipart(f: SessionFile, entry: JournalFile): void {
    const started = (uploadId: string, ticket: string) => {
      Object.assign(entry, { uploadId, ticket, doneParts: [] });
      this.deps.onStarted(entry);
    };
    this.add(new MultipartItem(f, entry, () => this.deps.hasher.blocksOf(f.name), started));
  }

  /** Resolves once `name` is planned (its part size known). */
  async planned(name: string): Promise<void> {
    while (!this.byName.has(name)) await this.wait(`${name}#planned`);
  }

  async putUrl(name: string): Promise<PresignedRequest> {
    const item = this.byName.get(name) as PutItem;
    return this.take(`${name}#put`, item.slot, (state) => Object.assign(item.slot, { state, url: undefined }));
  }

  /** A URL for part `partNumber` of `name`, and the CRC32C it binds. */
  async partUrl(name: string, partNumber: number): Promise<{ url: PresignedRequest; checksum: Checksum }> {
    const item = this.byName.get(name) as MultipartItem;
    const url = await this.take(`${name}#${partNumber}`, item.slot(partNumber), (state) => item.set(partNumber, state));
    return { url, checksum: item.checksum(item.parts[partNumber - 1])! };
  }

  /** The upload's CompleteMultipartUpload, signed ahead (the caller writes its body). */
  async completeUrl(name: string): Promise<PresignedRequest> {
    const { complete } = this.byName.get(name) as MultipartItem;
    return this.take(`${name}#complete`, complete, (state) => Object.assign(complete, { state, url: undefined }));
  }

  /** A part went through: the rate the lookahead is sized by. */
  partSent(bytes: number, startedAt: number): void {
    this.sent.since ??= startedAt;
    this.sent.bytes += bytes;
  }

  /** Resolves when the URLs ready and the parts planned would soon run out (plan another file). */
  async runningLow(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.lowWaiters.push(resolve);
      this.kick();
    });
  }

  close(): void {
    this.unsubscribe();
    this.deps.signal?.removeEventListener('abort', this.onAbort);
    this.fail(new Error('the upload ended'));
  }

  private add(item: PutItem | MultipartItem): void {
    this.items.push(item);
    this.byName.set(item.name, item);
    this.wake(`${item.name}#planned`);
    this.kick();
  }

  private async take(key: string, slot: Slot, set: (state: State) => void): Promise<PresignedRequest> {
    for (;;) {
      if (this.failed !== undefined) throw this.failed;
      const url = slot.url;
      if (slot.state === 'ready' && Date.parse(url!.expiresAt) - this.deps.clock.now().getTime() > USABLE_MS) {
        set('taken');
        this.kick();
        return url!;
      }
      // Taken before (its request failed, or the store found it expired) or expiring: sign again.
      if (slot.state !== 'asked' && slot.state !== 'pending') set('pending');
      await this.wait(key);
    }
  }

  private wait(key: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(key) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(key, list);
      this.kick();
    });
  }

  private wake(key: string): void {
    const list = this.waiters.get(key);
    this.waiters.delete(key);
    list?.forEach((w) => w.resolve());
  }

  private fail(e: unknown): void {
    this.failed ??= e instanceof Error ? e : new Error('the upload was interrupted');
    this.gotState?.reject(this.failed);
    const all = [...this.waiters.values()].flat();
    this.waiters.clear();
    all.forEach((w) => w.reject(this.failed));
    this.lowWaiters.splice(0).forEach((r) => r());
  }

  private bounds() {
    const elapsed = this.sent.since === undefined ? 0 : (this.deps.now() - this.sent.since) / 1000;
    const rate = elapsed > 0.2 && this.sent.bytes > 0 ? this.sent.bytes / elapsed : undefined;
    return aheadBounds({ rate, rttSec: this.rttSec, ttlSec: this.ttlSec, windowBytes: this.deps.windowBytes() });
  }

  /** Sends the next batch if one is due: someone waits, or the URLs ready run low, and enough is signable. */
  private kick(): void {
    if (this.failed !== undefined) return;
    const bounds = this.bounds();
    const until = this.deps.clock.now().getTime() + 2 * USABLE_MS;
    this.items.forEach((i) => i.prune(until));
    const sum = (f: (i: PutItem | MultipartItem) => number) => this.items.reduce((n, i) => n + f(i), 0);
    const ahead = sum((i) => i.aheadBytes());
    if (this.lowWaiters.length > 0 && ahead + sum((i) => i.pendingBytes(bounds.low)) < bounds.low) this.lowWaiters.splice(0).forEach((r) => r());
    if (this.inFlight) return;
    const waited = new Set([...this.waiters.keys()].filter((k) => !k.endsWith('#planned')));
    const forced = [...waited].some((k) => k.endsWith('#complete'));
    const pending = sum((i) => i.pendingBytes(2 * bounds.minBatch));
    const signable = sum((i) => i.signableBytes(2 * bounds.minBatch));
    if (waited.size === 0 && ahead >= bounds.low) return;
    // The first batch of a first upload carries the session's state, which the whole upload waits
    // for: it goes once enough is signable, with the single PUTs (hashed first, so known soon).
    const first = this.gotState !== undefined && this.calls === 0;
    if (first && this.items.some((i) => i instanceof PutItem && i.pendingBytes() > 0 && i.signableBytes() === 0)) return;
    const someoneWaits = waited.size > 0 || first;
    if (!forced && !enoughToAsk(signable, pending, bounds.minBatch, someoneWaits)) return;
    const files: BatchFileRequest[] = [];
    let budget = Math.max(0, bounds.high - ahead);
    let parts = MAX_BATCH_PARTS;
    for (const item of this.items) {
      if (files.length === MAX_BATCH_FILES || parts === 0) break;
      const { req, bytes } = item instanceof PutItem ? item.ask() : item.ask({ budget, parts, waited });
      if (req) files.push(req);
      budget = Math.max(0, budget - bytes);
      parts -= req?.parts?.length ?? 0;
    }
    if (files.length > 0) void this.send(files, waited.size);
  }

  /** `waitedThen`: URLs someone waited for when the batch was asked (for the log). */
  private async send(files: BatchFileRequest[], waitedThen: number): Promise<void> {
    this.inFlight = true;
    const t0 = this.deps.now();
    try {
      const withState = this.gotState !== undefined && this.calls === 0;
      const res = await this.deps.retry(`sign ${files.length} file(s)`, async () =>
        this.deps.api.signBatch((await this.deps.tokens.get()).token, { session: this.deps.session, files, ...(withState ? { state: true } : {}) }),
      );
      this.calls++;
      // Closed meanwhile (a first plan dropped, the upload over): its URLs and uploads are not ours to note.
      if (this.failed !== undefined) return;
      if (withState) {
        if (res.state) this.gotState!.resolve(res.state);
        else this.gotState!.reject(new Error('the API answered the first batch without the session state'));
      }
      const rtt = (this.deps.now() - t0) / 1000;
      this.rttSec = this.rttSec === undefined ? rtt : Math.max(rtt, 0.7 * this.rttSec + 0.3 * rtt);
      // Expiry in this machine's time: the API's clock may differ from the rig's.
      const skew = res.signedAt ? Date.parse(res.signedAt) - this.deps.clock.now().getTime() : 0;
      const local = (u: PresignedRequest) => (u.expiresAt = new Date(Date.parse(u.expiresAt) - skew).toISOString());
      for (const f of res.files) [f.put, f.complete, ...(f.parts ?? [])].forEach((u) => u && local(u));
      const parts = res.files.flatMap((f) => f.parts ?? []);
      if (parts[0]) this.ttlSec = Math.max(60, (Date.parse(parts[0].expiresAt) - this.deps.clock.now().getTime()) / 1000);
      this.deps.log.log('debug', 'upload.batch', {
        call: this.calls,
        waited: waitedThen,
        files: files.map((f) => `${f.file}:${f.start ? 'start,' : ''}${f.parts?.length ?? 0}${f.complete ? ',complete' : ''}`).join(' '),
        ms: Math.round(rtt * 1000),
      });
      res.files.forEach((r, i) => this.byName.get(files[i].file)!.answer(r));
      this.inFlight = false;
      for (const key of [...this.waiters.keys()]) if (!key.endsWith('#planned')) this.wake(key);
      this.kick();
    } catch (e) {
      this.inFlight = false;
      this.fail(e);
    }
  }
}
