import type { SessionStore } from '../../core/index.js';

/** A store that counts the calls made to it, by method, and passes them on unchanged. */
export interface CountingStore {
  readonly store: SessionStore;
  /** Calls per port method since the last `reset()`. */
  readonly calls: Map<keyof SessionStore, number>;
  /** All calls since the last `reset()`. */
  total(): number;
  reset(): void;
}

/**
 * Wraps a real store (our own port, not a mock of anything we integrate with) so a test can see
 * whether a request reached storage at all.
 */
export function countingStore(inner: SessionStore): CountingStore {
  const calls = new Map<keyof SessionStore, number>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const name = property as keyof SessionStore;
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    calls,
    total: () => [...calls.values()].reduce((sum, n) => sum + n, 0),
    reset: () => calls.clear(),
  };
}
