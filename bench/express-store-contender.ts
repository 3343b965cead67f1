import { randomBytes } from 'node:crypto';
import type { Store } from 'express-session';
import { BENCH_DATA, BENCH_TTL_MS } from './session-fixture.js';
import { expectOutcome, type StoreContender } from './store-contender.js';

/** The express-session method each store operation is, as the express workload names them. */
export const EXPRESS_OPERATION_NAMES = {
  create: 'set (new)',
  get: 'get',
  replace: 'set (changed)',
  refresh: 'touch',
  delete: 'destroy',
} as const;

/**
 * A session object as express-session hands it to a store (`req.session` after its cookie's
 * `toJSON`): the cookie, the user, the app's data, and a counter a request changes. Every
 * contender of the express workload is handed the same objects.
 */
export function expressRequestSession(userId: string, views: number, now: number): Record<string, unknown> {
  return {
    cookie: { originalMaxAge: BENCH_TTL_MS, expires: new Date(now + BENCH_TTL_MS).toISOString(), secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
    userId,
    views,
    data: BENCH_DATA,
  };
}

/**
 * Any express-session `Store`, called as express-session calls it: `set` of a new session, `get`,
 * `set` of a changed one (`views` goes up), `touch` of an unchanged one, `destroy`. Sids are
 * express-session's own shape (uid-safe's 24 random bytes as base64url, 32 characters), and
 * each session has a user of its own (one login per session, the worst case for a per-user index).
 */
export function expressStoreContender(name: string, store: Store, close: () => Promise<void> = async () => {}): StoreContender {
  const call = <T>(start: (done: (error?: unknown, value?: T) => void) => void): Promise<T | undefined> =>
    new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
  return {
    name,
    async cycle(count) {
      const run = randomBytes(4).toString('hex');
      const sids = Array.from({ length: count }, () => randomBytes(24).toString('base64url'));
      const sidAt = (index: number): string => sids[index] as string;
      const userAt = (index: number): string => `bench-${run}-${index}`;
      return {
        async create(index) {
          await call((done) => store.set(sidAt(index), expressRequestSession(userAt(index), 0, Date.now()) as never, done));
        },
        async get(index) {
          const session = await call<{ userId?: unknown } | null>((done) => store.get(sidAt(index), done as never));
          expectOutcome('get', session?.userId, userAt(index));
        },
        async replace(index) {
          await call((done) => store.set(sidAt(index), expressRequestSession(userAt(index), 1, Date.now()) as never, done));
        },
        async refresh(index) {
          await call((done) => store.touch?.(sidAt(index), expressRequestSession(userAt(index), 1, Date.now()) as never, done));
        },
        async delete(index) {
          await call((done) => store.destroy(sidAt(index), done));
        },
      };
    },
    close,
  };
}
