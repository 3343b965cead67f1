import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { KeyLayout } from '../../adapters/redis/key-layout.js';
import { createRedisClient } from '../../server/redis-client.js';
import { CommandCounter } from '../support/command-counter.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeSession } from '../support/session-fixtures.js';
import { waitUntil } from '../support/wait-until.js';

// Round trips counted at the server with MONITOR: commands a script runs inside Redis do not
// count, every command a client sends does.
let server: RedisServer;
let client: Redis | Cluster;
let counter: CommandCounter;
const T = 1_000_000;

beforeAll(async () => {
  server = await startRedisServer();
  client = createRedisClient({ url: server.url });
  await waitUntil(() => client.ping());
  counter = await CommandCounter.start(server.port);
});

afterAll(async () => {
  await counter?.stop();
  client?.disconnect();
  await server?.stop();
});

const names = (commands: string[][]): string[] => commands.map((args) => (args[0] ?? '').toLowerCase());

test('create, replace, refresh and delete are one EVALSHA each, get one HMGET', async () => {
  const store = new RedisSessionStore(client, { keyPrefix: 'rt:' });
  // ioredis sends a script's first call on a connection as EVAL (loading it), later ones as
  // EVALSHA; both are one command. Warm them up so that the counts below are the steady state.
  const warm = makeSession(T);
  await store.create(warm, T);
  await store.get(warm.id, T);
  await store.replace({ ...warm, version: 2 }, 1, T);
  await store.refresh(warm.id, { expectedVersion: 2, expiresAt: T + 2000, updatedAt: T }, T);
  await store.delete(warm.id, T);

  const session = makeSession(T);
  const next = { ...session, data: { n: 2 }, version: 2 };
  const refresh = { expectedVersion: 2, expiresAt: T + 5000, updatedAt: T + 1 };
  expect(names(await counter.during(() => store.create(session, T)))).toEqual(['evalsha']);
  expect(names(await counter.during(() => store.get(session.id, T)))).toEqual(['hmget']);
  expect(names(await counter.during(() => store.replace(next, 1, T)))).toEqual(['evalsha']);
  expect(names(await counter.during(() => store.refresh(session.id, refresh, T + 1)))).toEqual(['evalsha']);
  expect(names(await counter.during(() => store.delete(session.id, T + 1)))).toEqual(['evalsha']);
  const conditional = makeSession(T);
  await store.create(conditional, T);
  expect(names(await counter.during(() => store.delete(conditional.id, T + 1, 2)))).toEqual(['evalsha']);
  expect(names(await counter.during(() => store.delete(conditional.id, T + 1, 1)))).toEqual(['evalsha']);
  // Refused writes cost the same single call.
  expect(names(await counter.during(() => store.replace(next, 1, T)))).toEqual(['evalsha']);
  expect(names(await counter.during(() => store.create(session, T)))).toEqual(['evalsha']);
  expect(names(await counter.during(() => store.ping()))).toEqual(['ping']);
});

test('a page costs one call per bucket for its ids, then one per bucket its sessions are in', async () => {
  const shards = 16;
  const store = new RedisSessionStore(client, { keyPrefix: 'rt-list:', shards });
  const keys = new KeyLayout('rt-list:', shards);
  for (let i = 0; i < 300; i++) await store.create(makeSession(T, { userId: i % 2 ? 'ann' : 'ben' }), T);
  for (const limit of [1, 10, 100, 1000]) {
    let page = await store.list({ limit }, T);
    const commands = await counter.during(async () => (page = await store.list({ limit }, T)));
    const buckets = new Set(page.sessions.map((s) => keys.tagOf(s.id))).size;
    expect(names(commands)).toEqual(Array(shards + buckets).fill('evalsha'));
  }
  let byUser = await store.listByUser('ann', { limit: 10 }, T);
  const userCommands = await counter.during(async () => (byUser = await store.listByUser('ann', { limit: 10 }, T)));
  const userBuckets = new Set(byUser.sessions.map((s) => keys.tagOf(s.id))).size;
  expect(names(userCommands)).toEqual(Array(shards + userBuckets).fill('evalsha'));
  await store.deleteByUser('nobody', T); // warms the script up
  expect(names(await counter.during(() => store.deleteByUser('ann', T)))).toEqual(Array(shards).fill('evalsha'));
});
