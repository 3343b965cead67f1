import type { Cluster, Redis } from 'ioredis';
import { RedisSessionStore, type RedisSessionStoreOptions } from '../../adapters/redis/index.js';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { startRedisCluster, startRedisServer } from './redis-server.js';
import { waitUntil } from './wait-until.js';

/** A private Redis (one server, or a three-master cluster), the service's client for it, and a store. */
export interface RedisTestStore {
  readonly client: Redis | Cluster;
  readonly store: RedisSessionStore;
  /** Another store on the same Redis under a prefix of its own: empty, and isolated from the rest. */
  freshStore(options?: Omit<RedisSessionStoreOptions, 'keyPrefix'>): RedisSessionStore;
  close(): Promise<void>;
}

let prefixes = 0;

/** Starts Redis the way the tests need it and connects the way the service does. */
export async function openRedisTestStore(kind: 'standalone' | 'cluster'): Promise<RedisTestStore> {
  const deployment =
    kind === 'standalone'
      ? await startRedisServer().then((server) => ({ client: createRedisClient({ url: server.url }), stop: server.stop }))
      : await startRedisCluster().then((cluster) => ({ client: createRedisClient({ clusterNodes: cluster.nodes }), stop: cluster.stop }));
  const store = new RedisSessionStore(deployment.client);
  await waitUntil(() => store.ping());
  return {
    client: deployment.client,
    store,
    freshStore: (options = {}) => new RedisSessionStore(deployment.client, { ...options, keyPrefix: `test-${++prefixes}:` }),
    close: async () => {
      deployment.client.disconnect();
      await deployment.stop();
    },
  };
}
