/**
 * What the URL broker (url-broker.ts) tracks per file: which URLs are still to be signed, which
 * can be (their checksums are known), which are asked for, ready, or taken by the sender. A
 * single PUT is signable once its SHA-256 is known; a part once the hashing pass has read it
 * (its CRC32C comes from the pass's block CRCs); a completion once the upload is begun, and it is
 * asked for with the file's last parts.
 */
import type { Checksum, PresignedRequest } from '../../core/api.js';
import type { BatchFileRequest, BatchFileResponse } from '../../core/api-batch.js';
import type { JournalFile } from '../../core/ingest/journal-types.js';
import { partCrc32c, type BlockCrcs } from '../../core/ingest/part-crc.js';
import { planParts, type PartRange } from '../../core/ingest/plan.js';
import type { SessionFile } from '../../core/session/validation-types.js';
import { crc32cBase64 } from './checksums.js';

export type State = 'pending' | 'asked' | 'ready' | 'taken';
export interface Slot {
  state: State;
  url?: PresignedRequest;
}

/** What the batch being built may still take, and what waiters need now. */
export interface Ask {
  /** Part bytes the batch may still take (parts someone waits for go in regardless). */
  budget: number;
  /** Parts the batch may still take (MAX_BATCH_PARTS in all, waited ones included). */
  parts: number;
  waited: ReadonlySet<string>;
}

const expiresAt = (u: PresignedRequest) => Date.parse(u.expiresAt);

/** A URL slot that is signed, not taken, and usable until `until`; else it goes back to pending. */
function prune(s: Slot, until: number): void {
  if (s.state === 'ready' && expiresAt(s.url!) < until) Object.assign(s, { state: 'pending', url: undefined });
}

/** One file sent with a single PUT. */
export class PutItem {
  readonly slot: Slot = { state: 'pending' };
  checksum?: Checksum;

  constructor(
    readonly f: SessionFile,
    readonly attempt: string | undefined,
  ) {}

  get name(): string {
    return this.f.name;
  }
  /** An empty file counts as one byte: it still needs its URL. */
  pendingBytes(): number {
    return this.slot.state === 'pending' ? Math.max(1, this.f.size) : 0;
  }
  aheadBytes(): number {
    return 0;
  }
  signableBytes(): number {
    return this.slot.state === 'pending' && this.checksum ? Math.max(1, this.f.size) : 0;
  }
  prune(until: number): void {
    prune(this.slot, until);
  }
  ask(): { req?: BatchFileRequest; bytes: number } {
    if (this.slot.state !== 'pending' || !this.checksum) return { bytes: 0 };
    this.slot.state = 'asked';
    return { req: { file: this.name, ...(this.attempt ? { attempt: this.attempt } : {}), put: { size: this.f.size, checksum: this.checksum } }, bytes: 0 };
  }
  answer(res: BatchFileResponse): void {
    if (res.put) Object.assign(this.slot, { state: 'ready', url: res.put });
  }
}

/** One file sent as a multipart upload, cut as its journal entry says. */
export class MultipartItem {
  readonly parts: PartRange[];
  private readonly slots: Slot[];
  private readonly crcs = new Map<number, Checksum>();
  readonly complete: Slot = { state: 'pending' };
  private startAsked = false;
  /** No part before this index is pending (parts are mostly asked for in order). */
  private cursor = 0;
  /** Part numbers with a URL ready, and their bytes. */
  private readonly ready = new Set<number>();
  private readyBytes = 0;

  constructor(
    readonly f: SessionFile,
    readonly entry: JournalFile,
    private readonly blocks: () => BlockCrcs,
    private readonly onStarted: (uploadId: string, ticket: string) => void,
  ) {
    this.parts = planParts(f.size, entry.partSize!);
    const done = new Set(entry.doneParts.map((p) => p.partNumber));
    this.slots = this.parts.map((p) => ({ state: done.has(p.partNumber) ? 'taken' : 'pending' }));
  }

  get name(): string {
    return this.f.name;
  }

  /** The URL slot of part `partNumber`; `set` changes its state (and keeps the counters). */
  slot(partNumber: number): Slot {
    return this.slots[partNumber - 1];
  }
  set(partNumber: number, state: State, url?: PresignedRequest): void {
    const s = this.slots[partNumber - 1];
    const size = this.parts[partNumber - 1].size;
    if (s.state === 'ready') {
      this.ready.delete(partNumber);
      this.readyBytes -= size;
    }
    if (state === 'ready') {
      this.ready.add(partNumber);
      this.readyBytes += size;
    }
    if (state === 'pending') this.cursor = Math.min(this.cursor, partNumber - 1);
    Object.assign(s, { state, url });
  }

  /** The CRC32C of a part, once the hashing pass has read it. */
  checksum(p: PartRange): Checksum | undefined {
    const known = this.crcs.get(p.partNumber);
    if (known) return known;
    const crc = partCrc32c(this.blocks(), p);
    if (crc === undefined) return undefined;
    const c: Checksum = { algorithm: 'CRC32C', value: crc32cBase64(crc) };
    this.crcs.set(p.partNumber, c);
    return c;
  }

  /** Pending parts in order, from the cursor. */
  private *pending(): Generator<PartRange> {
    while (this.cursor < this.parts.length && this.slots[this.cursor].state !== 'pending') this.cursor++;
    for (let i = this.cursor; i < this.parts.length; i++) if (this.slots[i].state === 'pending') yield this.parts[i];
  }
  /** Bytes still to sign, counted up to `limit`. */
  pendingBytes(limit: number): number {
    let n = 0;
    for (const p of this.pending()) if ((n += p.size) >= limit) break;
    return n;
  }
  /** Bytes signable now (hashed, in order), counted up to `limit`. */
  signableBytes(limit: number): number {
    let n = 0;
    for (const p of this.pending()) {
      if (!this.checksum(p) || (n += p.size) >= limit) break;
    }
    return n;
  }
  /** Bytes of parts with a URL ready and not taken. */
  aheadBytes(): number {
    return this.readyBytes;
  }
  prune(until: number): void {
    for (const n of [...this.ready]) if (expiresAt(this.slots[n - 1].url!) < until) this.set(n, 'pending');
    prune(this.complete, until);
  }

  /** This file's share of the next batch: its start, signable parts within the budget (waited ones always), its completion with its last parts. */
  ask(a: Ask): { req?: BatchFileRequest; bytes: number } {
    const parts: { partNumber: number; checksum: Checksum }[] = [];
    let bytes = 0;
    let left = false;
    for (const p of this.pending()) {
      const checksum = this.checksum(p);
      if (!checksum) {
        left = true;
        break;
      }
      if (parts.length === a.parts) {
        left = true;
        break;
      }
      if (!a.waited.has(`${this.name}#${p.partNumber}`) && bytes + p.size > a.budget) {
        left = true;
        continue;
      }
      parts.push({ partNumber: p.partNumber, checksum });
      bytes += p.size;
    }
    const start = !this.entry.ticket && !this.startAsked;
    const complete = this.complete.state === 'pending' && (a.waited.has(`${this.name}#complete`) || (!left && (parts.length > 0 || start)));
    if (!start && parts.length === 0 && !complete) return { bytes: 0 };
    for (const p of parts) this.set(p.partNumber, 'asked');
    if (complete) this.complete.state = 'asked';
    this.startAsked ||= start;
    const req: BatchFileRequest = {
      file: this.name,
      ...(this.entry.attempt ? { attempt: this.entry.attempt } : {}),
      ...(start ? { start: { size: this.f.size, partSize: this.parts[0].size } } : { ticket: this.entry.ticket }),
      ...(parts.length ? { parts } : {}),
      ...(complete ? { complete: true } : {}),
    };
    return { req, bytes };
  }

  answer(res: BatchFileResponse): void {
    if (res.uploadId && res.ticket) this.onStarted(res.uploadId, res.ticket);
    for (const p of res.parts ?? []) this.set(p.partNumber, 'ready', p);
    if (res.complete) Object.assign(this.complete, { state: 'ready', url: res.complete });
  }
}
