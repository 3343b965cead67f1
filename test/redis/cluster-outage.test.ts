import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { StoreUnavailableError } from '../../core/index.js';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { startRedisCluster, type RedisClusterServers } from '../support/redis-server.js';
import { makeSession } from '../support/session-fixtures.js';
import { waitUntil } from '../support/wait-until.js';

const T = 1_000_000;
let cluster: RedisClusterServers;
let client: Redis | Cluster;
let store: RedisSessionStore;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = createRedisClient({ clusterNodes: cluster.nodes, commandTimeoutMs: 500 });
  store = new RedisSessionStore(client);
  await waitUntil(() => store.ping());
});

afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

test('the whole cluster stopped: calls fail fast; restarted: served again by the same client', async () => {
  const before = makeSession(T);
  expect(await store.create(before, T)).toBe('created');
  await Promise.all(cluster.servers.map((s) => s.halt()));
  const calls = [
    () => store.get(before.id, T),
    () => store.create(makeSession(T), T),
    () => store.list({ limit: 10 }, T),
    () => store.deleteByUser('alice', T),
    () => store.ping(),
  ];
  for (const call of calls) {
    const started = performance.now();
    await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
    // The command timeout (500 ms) plus slack; retrying a gone node 16 times would add 1.6 s.
    expect(performance.now() - started).toBeLessThan(1500);
  }
  // Each node comes back from its nodes.conf with the same slots.
  await Promise.all(cluster.servers.map((s) => s.restart()));
  // Nodes answer PING before the cluster has agreed it is whole again (CLUSTERDOWN until then).
  await waitUntil(() => store.ping(), 20_000);
  const after = makeSession(T);
  await waitUntil(async () => expect(await store.create(after, T)).toBe('created'), 20_000);
  expect(await store.get(after.id, T)).toEqual(after);
});
