import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { StoreUnavailableError, type Session } from '../../core/index.js';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { startRedisCluster, type RedisClusterServers } from '../support/redis-server.js';
import { makeSession } from '../support/session-fixtures.js';
import { timedAlongsideTicks } from '../support/timer-slowdown.js';
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
  await createdByTheStore();
  await Promise.all(cluster.servers.map((s) => s.halt()));
  const calls: Array<() => Promise<unknown>> = [
    () => store.get(makeSession(T).id, T),
    () => store.create(makeSession(T), T),
    () => store.list({ limit: 10 }, T),
    () => store.deleteByUser('alice', T),
    () => store.ping(),
  ];
  for (const call of calls) {
    const { outcome, elapsedMs, slowdown } = await timedAlongsideTicks(call);
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(StoreUnavailableError) });
    // The command timeout (500 ms) or five retries 100 ms apart, plus slack; retrying a gone
    // node 16 times would take 1.6 s. Every one of those waits is late alike on a loaded machine.
    expect(elapsedMs).toBeLessThan(1500 * slowdown);
  }
  // Each node comes back from its nodes.conf with the same slots.
  await Promise.all(cluster.servers.map((s) => s.restart()));
  // Nodes answer PING before the cluster has agreed it is whole again (CLUSTERDOWN until then).
  await waitUntil(() => store.ping(), 20_000);
  const after = await createdByTheStore();
  await waitUntil(async () => expect(await store.get(after.id, T)).toEqual(after), 20_000);
});

/**
 * A new session, created once the store answers. Each try is a new session: a create that timed
 * out may still have landed, and the same session sent again could then only be 'exists'.
 */
function createdByTheStore(): Promise<Session> {
  return waitUntil(async () => {
    const session = makeSession(T);
    expect(await store.create(session, T)).toBe('created');
    return session;
  }, 20_000);
}
