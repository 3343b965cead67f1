import { defaultTtlPolicy, type SessionChange, type SessionStore } from '../core/index.js';
import { benchHandles } from './bench-handles.js';
import { BENCH_DATA, benchSession } from './session-fixture.js';
import { expectOutcome, type StoreContender } from './store-contender.js';

/** What the service hands the store for a PUT without If-Match: data, and the policy's expiry rule. */
const REPLACE: SessionChange = { data: BENCH_DATA, slide: defaultTtlPolicy.slidingExpiration, absoluteTimeout: defaultTtlPolicy.absoluteTimeout };
/** What the service hands the store for a refresh: no data, no version, slide. */
const REFRESH: SessionChange = { slide: true, absoluteTimeout: defaultTtlPolicy.absoluteTimeout };

/**
 * One of our stores, called through the port v2 exactly as the service calls it: one call per
 * operation (replace and refresh are each one `update`, version-free as a PUT without If-Match
 * and a refresh are), `now` from the caller. Each session has a user of its own, the worst case
 * for a store's per-user index, and a handle of the shape the service makes.
 */
export function sessionStoreContender(name: string, store: SessionStore, close: () => Promise<void> = async () => {}): StoreContender {
  return {
    name,
    notes: { replace: 'update (data)', refresh: 'update (slide)' },
    async cycle(count) {
      const prefix = `bench-${Math.random().toString(36).slice(2, 8)}-`;
      const ids = await benchHandles(count, (i) => `${prefix}${i}`);
      const idAt = (index: number): string => ids[index] as string;
      return {
        async create(index) {
          const now = Date.now();
          expectOutcome('create', await store.create(benchSession(idAt(index), now, 1, `${prefix}${index}`), now), 'created');
        },
        async get(index) {
          const session = await store.get(idAt(index), Date.now());
          expectOutcome('get', session?.id, idAt(index));
        },
        async replace(index) {
          const written = await store.update(idAt(index), REPLACE, Date.now());
          expectOutcome('replace', typeof written === 'string' ? written : written.version, 2);
        },
        async refresh(index) {
          const written = await store.update(idAt(index), REFRESH, Date.now());
          expectOutcome('refresh', typeof written === 'string' ? written : written.version, 3);
        },
        async delete(index) {
          expectOutcome('delete', await store.delete(idAt(index), Date.now()), 'deleted');
        },
      };
    },
    close,
  };
}
