import type { Store } from 'express-session';
import { expressSession } from './session-fixture.js';
import { expectOutcome, freshIds, type StoreContender } from './store-contender.js';

/**
 * A store made for express-session, called as express-session calls it: `set` for a new session
 * and for a changed one, `get`, `touch` to extend it, `destroy` to end it.
 */
export function expressSessionContender(name: string, store: Store, close: () => Promise<void> = async () => {}): StoreContender {
  const call = <T>(start: (done: (error?: unknown, value?: T) => void) => void): Promise<T | undefined> =>
    new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
  return {
    name,
    notes: { create: 'set', get: 'get', replace: 'set', refresh: 'touch', delete: 'destroy' },
    async cycle(count) {
      const ids = freshIds(count);
      const idAt = (index: number): string => ids[index] as string;
      return {
        async create(index) {
          await call((done) => store.set(idAt(index), expressSession(Date.now()) as never, done));
        },
        async get(index) {
          const session = await call<{ userId?: unknown } | null>((done) => store.get(idAt(index), done as never));
          expectOutcome('get', session?.userId, 'bench-user');
        },
        async replace(index) {
          await call((done) => store.set(idAt(index), expressSession(Date.now()) as never, done));
        },
        async refresh(index) {
          await call((done) => store.touch?.(idAt(index), expressSession(Date.now()) as never, done));
        },
        async delete(index) {
          await call((done) => store.destroy(idAt(index), done));
        },
      };
    },
    close,
  };
}
