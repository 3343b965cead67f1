import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { StoreUnavailableError, type SessionStore } from '../../core/index.js';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeSession } from '../support/session-fixtures.js';
import { timedAlongsideTicks } from '../support/timer-slowdown.js';
import { waitUntil } from '../support/wait-until.js';

const TIMEOUT_MS = 500;
const T = 1_000_000;
let server: RedisServer;
let client: Redis | Cluster;
let store: RedisSessionStore;

beforeAll(async () => {
  server = await startRedisServer();
  client = createRedisClient({ url: server.url, commandTimeoutMs: TIMEOUT_MS });
  store = new RedisSessionStore(client);
  await waitUntil(() => store.ping());
});

afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

/** Every port call, each expected to fail fast while Redis is away. */
function everyCall(s: SessionStore): Array<[string, () => Promise<unknown>]> {
  const session = makeSession(T);
  return [
    ['create', () => s.create(session, T)],
    ['get', () => s.get(session.id, T)],
    ['resolve', () => s.resolve(session.id, T)],
    ['replace', () => s.update(session.id, { data: { n: 2 }, expectedVersion: 1, slide: true, absoluteTimeout: 1e9 }, T)],
    ['refresh', () => s.update(session.id, { slide: true, absoluteTimeout: 1e9 }, T)],
    ['delete', () => s.delete(session.id, T)],
    ['list', () => s.list({ limit: 10 }, T)],
    ['listByUser', () => s.listByUser('alice', { limit: 10 }, T)],
    ['deleteByUser', () => s.deleteByUser('alice', T)],
    ['ping', () => s.ping()],
  ];
}

/** Runs every call at once; each must fail with StoreUnavailableError within `withinMs`. */
async function expectAllUnavailable(withinMs: number): Promise<void> {
  await Promise.all(
    everyCall(store).map(async ([name, call]) => {
      const { outcome, elapsedMs, slowdown } = await timedAlongsideTicks(call);
      const error = outcome.status === 'rejected' ? outcome.reason : undefined;
      expect(error, name).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).cause, name).toBeInstanceOf(Error);
      expect(elapsedMs, name).toBeLessThan(withinMs * slowdown);
    }),
  );
}

async function expectServing(): Promise<void> {
  // Recovery is the client's own reconnection; nothing here makes a new client.
  await waitUntil(() => store.ping(), 15_000);
  // Each try a new session: on a loaded machine a create can time out (500 ms) and still land.
  const session = await waitUntil(async () => {
    const fresh = makeSession(T);
    expect(await store.create(fresh, T)).toBe('created');
    return fresh;
  });
  await waitUntil(async () => expect(await store.get(session.id, T)).toEqual(session));
}

test('redis stopped: every call fails with StoreUnavailableError at once; restarted: served again', async () => {
  await expectServing();
  await server.halt();
  // Redis closed the connection: the client knows, and refuses at once (no offline queue).
  await expectAllUnavailable(3000);
  // Still down a while later (reconnection attempts running): still fast, nothing queued.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await expectAllUnavailable(3000);
  await server.restart();
  await expectServing();
});

test('redis frozen (connection open, no answers): every call fails within the command timeout', async () => {
  await expectServing();
  server.signal('SIGSTOP');
  try {
    // Nothing tells the client the server is gone: only the command timeout ends each call.
    await expectAllUnavailable(TIMEOUT_MS + 1000);
  } finally {
    server.signal('SIGCONT');
  }
  await expectServing();
});
