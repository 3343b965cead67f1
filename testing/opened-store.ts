import type { SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, DisposableStore, StoreFactory } from './check-options.js';

/** Calls the factory and pairs its store with whatever releases it. */
export async function openStore(makeStore: StoreFactory, options: CheckSessionStoreOptions): Promise<DisposableStore> {
  const made = await makeStore();
  if (isDisposable(made)) return made;
  return { store: made, dispose: () => options.dispose?.(made) };
}

/** Runs `use` on a fresh store and always releases the store afterwards. */
export async function withFreshStore(
  makeStore: StoreFactory,
  options: CheckSessionStoreOptions,
  use: (store: SessionStore) => Promise<void>,
): Promise<void> {
  const { store, dispose } = await openStore(makeStore, options);
  try {
    await store.ping();
    await use(store);
  } finally {
    await dispose();
  }
}

function isDisposable(made: SessionStore | DisposableStore): made is DisposableStore {
  // A store may well have a field called `store` (a wrapper does); only a pair lacks `get`.
  return typeof (made as Partial<SessionStore>).get !== 'function' && typeof (made as Partial<DisposableStore>).dispose === 'function';
}
