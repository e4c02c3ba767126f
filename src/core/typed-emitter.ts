/**
 * An event emitter whose events are declared with their payload types (`M`: event name ->
 * payload), so a listener and an emitter cannot disagree on a name or a payload the way two ends of
 * an untyped EventEmitter can. A listener that throws is its own problem: the others still run and
 * `emit` does not throw (an object the store wrote stays written whatever a listener does).
 */
export class TypedEmitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<(payload: never) => void>>();

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof M>(event: K, listener: (payload: M[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof M>(event: K, listener: (payload: M[K]) => void): void {
    const set = this.listeners.get(event);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(event);
  }

  /** Calls every listener of `event` with `payload`; returns how many there were. */
  emit<K extends keyof M>(event: K, payload: M[K]): number {
    const set = this.listeners.get(event);
    if (!set) return 0;
    for (const listener of [...set]) {
      try {
        (listener as (p: M[K]) => void)(payload);
      } catch {
        // see the file comment: a failing listener does not undo or stop the emit
      }
    }
    return set.size;
  }

  /** Removes every listener (the emitter's owner is closing). */
  removeAllListeners(): void {
    this.listeners.clear();
  }

  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
