/**
 * One abort listener on the upload's signal, however many parts are in flight: each part gets a
 * signal of its own (for its request and its retry waits), made here and dropped when the part
 * ends. Handing the upload's signal to every request added a listener per request to it, and
 * with 16 parts in flight Node warned "MaxListenersExceededWarning: Possible EventTarget memory
 * leak detected. 11 abort listeners added to [AbortSignal]" (issue 30).
 */
export class AbortScope {
  private readonly live = new Set<AbortController>();
  private readonly onAbort = () => {
    for (const c of this.live) c.abort(this.parent?.reason);
  };

  constructor(private readonly parent?: AbortSignal) {
    parent?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Runs `fn` with a signal of its own, aborted with the upload's; released when `fn` settles. */
  async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const c = new AbortController();
    if (this.parent?.aborted) c.abort(this.parent.reason);
    this.live.add(c);
    try {
      return await fn(c.signal);
    } finally {
      this.live.delete(c);
    }
  }

  /** Signals alive now (for tests). */
  get size(): number {
    return this.live.size;
  }

  close(): void {
    this.parent?.removeEventListener('abort', this.onAbort);
  }
}
