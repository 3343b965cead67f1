import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { createRedisClient } from '../../server/redis-client.js';
import { checkSessionStore } from '../../testing/index.js';
import { startRedisCluster, startRedisServer } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';

// A fresh key prefix per run makes a fresh, empty store on the same server.
let run = 0;
const freshStore = (client: Redis | Cluster) => () => new RedisSessionStore(client, { keyPrefix: `conformance-${++run}:` });

describe('Redis standalone', () => {
  let client: Redis | Cluster;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startRedisServer();
    client = createRedisClient({ url: server.url });
    await waitUntil(() => client.ping());
    stop = server.stop;
  });
  afterAll(async () => {
    client?.disconnect();
    await stop?.();
  });
  test('conforms to the SessionStore port', () => checkSessionStore(freshStore(client), { numRuns: 100 }), 180_000);
});

describe('Redis Cluster', () => {
  let client: Redis | Cluster;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const cluster = await startRedisCluster();
    client = createRedisClient({ clusterNodes: cluster.nodes });
    await waitUntil(() => new RedisSessionStore(client).ping());
    stop = cluster.stop;
  });
  afterAll(async () => {
    client?.disconnect();
    await stop?.();
  });
  test('conforms to the SessionStore port', () => checkSessionStore(freshStore(client), { numRuns: 100 }), 240_000);
});
