import type { SessionStore } from '../core/index.js';
import { benchSession, BENCH_TTL_MS } from './session-fixture.js';
import { expectOutcome, type StoreContender } from './store-contender.js';

/**
 * One of our stores, called through the port exactly as the core calls it: every write names
 * the version it expects and `now` comes from the caller. The versions are tracked here, so
 * replace and refresh are the single conditional write the service would send after its read.
 */
export function sessionStoreContender(name: string, store: SessionStore, close: () => Promise<void> = async () => {}): StoreContender {
  return {
    name,
    cycle(ids) {
      const versions = new Uint32Array(ids.length).fill(1);
      const idAt = (index: number): string => ids[index] as string;
      return {
        async create(index) {
          const now = Date.now();
          expectOutcome('create', await store.create(benchSession(idAt(index), now), now), 'created');
        },
        async get(index) {
          const session = await store.get(idAt(index), Date.now());
          expectOutcome('get', session?.id, idAt(index));
        },
        async replace(index) {
          const now = Date.now();
          const version = versions[index] as number;
          const next = { ...benchSession(idAt(index), now, version + 1), createdAt: now - 1 };
          expectOutcome('replace', await store.replace(next, version, now), 'written');
          versions[index] = version + 1;
        },
        async refresh(index) {
          const now = Date.now();
          const version = versions[index] as number;
          const change = { expectedVersion: version, expiresAt: now + BENCH_TTL_MS, updatedAt: now };
          expectOutcome('refresh', await store.refresh(idAt(index), change, now), 'written');
          versions[index] = version + 1;
        },
        async delete(index) {
          expectOutcome('delete', await store.delete(idAt(index), Date.now()), 'deleted');
        },
      };
    },
    close,
  };
}
