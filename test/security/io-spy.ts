/** Wraps an object so every method call is recorded: attacks assert that no I/O happened. */
export function spy<T extends object>(target: T, name: string, log: string[]): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        log.push(`${name}.${String(prop)}`);
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}
