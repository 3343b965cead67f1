import { randomBytes } from 'node:crypto';
import session, { type Store } from 'express-session';
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
 * A new session as express-session makes it (`generate`: a `Session` on the request, a `Cookie` of
 * the configured options), then filled by the app's login: the user, its data, a counter.
 */
function newRequestSession(sid: string, userId: string): Record<string, unknown> {
  const req = { sessionID: sid };
  // Their constructors are what express-session calls; its types declare them private.
  const made = new (session.Session as unknown as new (req: object) => Record<string, unknown>)(req);
  made['cookie'] = new (session.Cookie as unknown as new (options: object) => object)({ maxAge: BENCH_TTL_MS, httpOnly: true, path: '/', sameSite: 'lax' });
  made['userId'] = userId;
  made['views'] = 0;
  made['data'] = BENCH_DATA;
  return made;
}

/**
 * Any express-session `Store`, called as express-session calls it, through what each request of
 * a session's life does. `set (new)`: a session `generate` made, saved. `get`: the store's answer
 * made `req.session` by the store's `createSession` (express-session does so on every load; part of
 * the timed call). `set (changed)`: that `req.session` with its counter changed, saved. `touch`:
 * that `req.session`, unchanged (express-session touches what it loaded). `destroy`. Sids are
 * express-session's own shape (uid-safe's 24 random bytes as base64url), and each session has a
 * user of its own (one login per session, the worst case for a per-user index).
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
      // Each session's req.session as its get made it, for the requests after.
      const loaded: Record<string, unknown>[] = [];
      const loadedAt = (index: number): Record<string, unknown> => {
        const found = loaded[index];
        if (found === undefined) throw new Error('set (changed) and touch need the session get loaded');
        return found;
      };
      return {
        async create(index) {
          await call((done) => store.set(sidAt(index), newRequestSession(sidAt(index), userAt(index)) as never, done));
        },
        async get(index) {
          const answer = await call<Record<string, unknown> | null>((done) => store.get(sidAt(index), done as never));
          expectOutcome('get', answer?.['userId'], userAt(index));
          loaded[index] = store.createSession({ sessionID: sidAt(index) } as never, answer as never) as unknown as Record<string, unknown>;
        },
        async replace(index) {
          const changed = loadedAt(index);
          changed['views'] = 1;
          await call((done) => store.set(sidAt(index), changed as never, done));
        },
        async refresh(index) {
          await call((done) => store.touch?.(sidAt(index), loadedAt(index) as never, done));
        },
        async delete(index) {
          await call((done) => store.destroy(sidAt(index), done));
        },
      };
    },
    close,
  };
}
