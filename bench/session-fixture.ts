import type { JsonObject, Session } from '../core/index.js';

/** A 200-byte data object (as JSON), the payload of every session the benchmark writes. */
export const BENCH_DATA: JsonObject = {
  theme: 'dark',
  locale: 'en-GB',
  cart: [1041, 2203, 3307],
  roles: ['reader', 'editor'],
  csrf: 'c8d1f0a4b7e24c5e9a3d6f1b2e4c7a90',
  lastPage: '/account/orders?page=123',
  flags: { beta: true, tour: false },
};

/** Bytes of {@link BENCH_DATA} as JSON. */
export const BENCH_DATA_BYTES = Buffer.byteLength(JSON.stringify(BENCH_DATA));

/** The lifetime of benchmark sessions: long enough never to expire during a run. */
export const BENCH_TTL_MS = 3_600_000;

/** A session as the core would make it at `now`. */
export function benchSession(id: string, now: number, version = 1, userId: string | undefined = 'bench-user'): Session {
  return {
    id,
    ...(userId === undefined ? {} : { userId }),
    data: BENCH_DATA,
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    expiresAt: now + BENCH_TTL_MS,
    version,
    ttl: BENCH_TTL_MS,
  };
}

/** The same session as an express-session store is handed it: data plus a cookie that sets its expiry. */
export function expressSession(now: number): Record<string, unknown> & { cookie: Record<string, unknown> } {
  return {
    cookie: {
      originalMaxAge: BENCH_TTL_MS,
      maxAge: BENCH_TTL_MS,
      expires: new Date(now + BENCH_TTL_MS).toISOString(),
      httpOnly: true,
      path: '/',
    },
    userId: 'bench-user',
    data: BENCH_DATA,
  };
}
