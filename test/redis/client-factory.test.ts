import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// What `session-api/redis` resolves to (package.json "exports"): the entry library users import.
import { createRedisClient, RedisSessionStore } from '../../adapters/redis/index.js';
import { StoreUnavailableError } from '../../core/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeSession } from '../support/session-fixtures.js';
import { waitUntil } from '../support/wait-until.js';

// Hardening item 20: a library user who built `new Redis(url)` as the README showed waited 74 s
// for an error while Redis was down (ioredis queues offline and retries 20 times), while the
// service's own client failed in a second. The service's factory is now the library's.

const TIMEOUT_MS = 200;
// Generous for a busy machine: what matters is seconds, not the minute ioredis' defaults take.
const BOUND_MS = 10 * TIMEOUT_MS;
const T = 1_000_000;

/** How a call ended and how long it took. */
async function outcome(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await call().then(() => undefined, (e: unknown) => e);
  return { error, ms: performance.now() - started };
}

describe('the client from session-api/redis', () => {
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

  it('fails each call within its timeout while Redis is stopped, and nothing queued runs later', async () => {
    await server.halt();
    const lost = makeSession(T);
    // Twenty calls at once, then again a second later: each fails on its own, none waits behind another.
    for (let round = 0; round < 2; round++) {
      const outcomes = await Promise.all([() => store.create(lost, T), ...Array.from({ length: 19 }, () => () => store.get(lost.id, T))].map(outcome));
      for (const { error, ms } of outcomes) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThan(BOUND_MS);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await server.restart();
    await waitUntil(() => store.ping(), 15_000);
    // The creates that were refused were refused: none was kept and sent once Redis came back.
    expect(await store.get(lost.id, T)).toBeUndefined();
  });

  it('fails a call on a frozen Redis after the command timeout, and serves again when it thaws', async () => {
    await waitUntil(() => store.ping(), 15_000);
    server.signal('SIGSTOP');
    try {
      const { error, ms } = await outcome(() => store.get(makeSession(T).id, T));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(String((error as Error).cause)).toMatch(/timed out/i);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      server.signal('SIGCONT');
    }
    await waitUntil(() => store.ping(), 15_000);
  });
});
