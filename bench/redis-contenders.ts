import RedisStore from 'connect-redis';
import type { Cluster, Redis } from 'ioredis';
import { createRedisClient } from '../adapters/redis/create-redis-client.js';
import { expressSessionContender } from './express-session-contender.js';
import { nodeSha256 } from './node-sha256.js';
import { benchSession, BENCH_TTL_MS } from './session-fixture.js';
import { sessionStoreContender } from './session-store-contender.js';
import { brokenContender, expectOutcome, freshIds, type StoreContender } from './store-contender.js';
import { SUBJECTS } from './subjects.js';

/**
 * Our Redis store, the raw commands that bound it, and connect-redis 7, on one Redis. Each has
 * a client of its own, made by the service's own factory (same timeouts, no offline queue).
 */
export async function redisContenders(url: string): Promise<StoreContender[]> {
  const [ours, raw, peer] = await Promise.all([readyClient(url), readyClient(url), readyClient(url)]);
  const quit = (client: Redis | Cluster) => async () => void (await client.quit());
  const connectRedis = new RedisStore({ client: peer, prefix: 'bench-connect:' });
  // Built as the server builds it (Node's SHA-256 for user homes). Imported here, not above: while the store is being rewritten and does not load, the ceiling
  // and the peer are still measured, and our store's row says why it is not.
  const ourStore = await import('../adapters/redis/index.js').then(
    ({ RedisSessionStore }) => sessionStoreContender(SUBJECTS.redisOurs, new RedisSessionStore(ours, { keyPrefix: 'bench-ours:', sha256: nodeSha256 }), quit(ours)),
    (error: unknown) => brokenContender(SUBJECTS.redisOurs, error, quit(ours)),
  );
  return [
    ourStore,
    rawRedisContender(raw, quit(raw)),
    expressSessionContender(SUBJECTS.connectRedis, connectRedis, quit(peer)),
  ];
}

/**
 * The ceiling: the least a session store must send, one plain command per operation on a JSON
 * string of the session (`SET PX` to write, `GET`, `PEXPIRE` to refresh, `DEL`), no checks.
 */
export function rawRedisContender(client: Redis | Cluster, close: () => Promise<void>): StoreContender {
  return {
    name: SUBJECTS.redisRaw,
    notes: { create: 'SET PX', get: 'GET', replace: 'SET PX', refresh: 'PEXPIRE', delete: 'DEL' },
    async cycle(count) {
      const ids = freshIds(count);
      const keyAt = (index: number): string => `bench-raw:s:${ids[index] as string}`;
      const value = (index: number): string => JSON.stringify(benchSession(ids[index] as string, Date.now()));
      return {
        async create(index) {
          expectOutcome('SET', await client.set(keyAt(index), value(index), 'PX', BENCH_TTL_MS), 'OK');
        },
        async get(index) {
          expectOutcome('GET', typeof (await client.get(keyAt(index))), 'string');
        },
        async replace(index) {
          expectOutcome('SET', await client.set(keyAt(index), value(index), 'PX', BENCH_TTL_MS), 'OK');
        },
        async refresh(index) {
          expectOutcome('PEXPIRE', await client.pexpire(keyAt(index), BENCH_TTL_MS), 1);
        },
        async delete(index) {
          expectOutcome('DEL', await client.del(keyAt(index)), 1);
        },
      };
    },
    close,
  };
}

export async function readyClient(url: string): Promise<Redis | Cluster> {
  const client = createRedisClient({ url });
  // The service's client connects in the background and queues nothing offline: wait for it.
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}
