import type { SessionStore } from '../core/index.js';

/** A store that counts the calls the service makes to it (each is one round trip to storage). */
export interface CountedStore {
  readonly store: SessionStore;
  /** The calls since the last `take()`, as `update 1, get 1`, and their number; then starts again. */
  take(): { readonly total: number; readonly calls: string };
}

/** Wraps a real store of ours: every port call is passed on unchanged and counted by method. */
export function countedStore(inner: SessionStore): CountedStore {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    take() {
      const total = [...calls.values()].reduce((sum, n) => sum + n, 0);
      const text = [...calls].map(([name, n]) => `${name} ${n}`).join(', ');
      calls.clear();
      return { total, calls: text };
    },
  };
}
