import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { SessionStore } from '../../core/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { openRedisTestStore, type RedisTestStore } from '../support/redis-test-store.js';
import { expectProblem } from './http-api-suite.js';

// Issue 14 item 1 over a real port: POST /sessions under SESSION_MAX_PER_USER (the library's
// maxSessionsPerUser), on the stores that apply a cap.
let redis: RedisTestStore;
let dynamo: DynamoTestStore;
beforeAll(async () => {
  [redis, dynamo] = await Promise.all([openRedisTestStore('standalone'), openDynamoTestStore()]);
});
afterAll(() => Promise.all([redis?.close(), dynamo?.close()]));

const stores: readonly [string, () => SessionStore | Promise<SessionStore>][] = [
  ['memory', () => new MemorySessionStore()],
  ['Redis', () => redis.freshStore()],
  ['DynamoDB', async () => (await dynamo.freshStore()).store],
];

describe.each(stores)('POST /sessions under a cap of 2 (%s)', (_name, makeStore) => {
  const open = async (policy: 'evict-oldest' | 'evict-idlest' | 'reject'): Promise<TestServer> =>
    startTestServer(await makeStore(), { service: { maxSessionsPerUser: 2, sessionLimitPolicy: policy } });
  const create = async (api: TestServer, userId: string) => {
    api.clock.advance(1);
    return api.request('POST', '/sessions', { json: { userId } });
  };

  it('evict-oldest: the third create ends the first and says so; the user keeps two', async () => {
    const api = await open('evict-oldest');
    try {
      const first = await create(api, 'ada');
      const second = await create(api, 'ada');
      expect(first.body.evicted).toEqual([]);
      expect(second.body.evicted).toEqual([]);
      const third = await create(api, 'ada');
      expect(third.status).toBe(201);
      expect(third.body.evicted).toEqual([first.body.id]);
      expectProblem(await api.request('GET', `/sessions/${first.body.id}`), 404);
      expectProblem(await api.request('GET', '/sessions/current', { headers: { 'session-token': first.body.token } }), 404);
      expect((await api.request('GET', '/sessions/user/ada/count')).body).toEqual({ count: 2 });
      // Anonymous sessions and other users are not touched by ada's cap.
      expect((await api.request('POST', '/sessions', { json: {} })).body.evicted).toEqual([]);
      expect((await create(api, 'bob')).body.evicted).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('reject: the third create is 409 session-limit and writes nothing', async () => {
    const api = await open('reject');
    try {
      await create(api, 'cy');
      await create(api, 'cy');
      const refused = await create(api, 'cy');
      expectProblem(refused, 409);
      expect(refused.body.type).toMatch(/session-limit$/);
      expect((await api.request('GET', '/sessions/user/cy/count')).body).toEqual({ count: 2 });
    } finally {
      await api.close();
    }
  });
});
