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

describe.each(stores)('POST /sessions/{id}/rotate (a login) under a cap of 2 (%s)', (_name, makeStore) => {
  const open = async (policy: 'evict-oldest' | 'reject'): Promise<TestServer> =>
    startTestServer(await makeStore(), { service: { maxSessionsPerUser: 2, sessionLimitPolicy: policy } });
  const create = async (api: TestServer, json: Record<string, unknown>) => {
    api.clock.advance(1);
    return api.request('POST', '/sessions', { json });
  };
  const login = async (api: TestServer, anonymous: { id: string }, userId: string) => {
    api.clock.advance(1);
    return api.request('POST', `/sessions/${anonymous.id}/rotate`, { json: { userId } });
  };

  it('evict-oldest: a login into a full place ends the oldest session and says so', async () => {
    const api = await open('evict-oldest');
    try {
      const first = await create(api, { userId: 'dee' });
      const second = await create(api, { userId: 'dee' });
      const cart = await create(api, { data: { cart: ['sku-1'] } });
      const loggedIn = await login(api, cart.body, 'dee');
      expect(loggedIn.status).toBe(200);
      expect(loggedIn.body).toMatchObject({ userId: 'dee', data: { cart: ['sku-1'] }, evicted: [first.body.id] });
      expectProblem(await api.request('GET', `/sessions/${first.body.id}`), 404);
      expectProblem(await api.request('GET', '/sessions/current', { headers: { 'session-token': first.body.token } }), 404);
      const listed = await api.request('GET', '/sessions/user/dee');
      expect(listed.body.sessions.map((session: { id: string }) => session.id).sort()).toEqual([second.body.id, loggedIn.body.id].sort());
      // A rotation of a session dee already holds replaces it: within the cap, nothing evicted.
      const again = await api.request('POST', `/sessions/${loggedIn.body.id}/rotate`, { json: {} });
      expect(again.status).toBe(200);
      expect(again.body.evicted).toEqual([]);
      expect((await api.request('GET', '/sessions/user/dee/count')).body).toEqual({ count: 2 });
    } finally {
      await api.close();
    }
  });

  it('reject: a login into a full place is 409 session-limit, and the anonymous session stays as it was', async () => {
    const api = await open('reject');
    try {
      await create(api, { userId: 'eve' });
      await create(api, { userId: 'eve' });
      const cart = await create(api, { data: { cart: ['sku-2'] } });
      const refused = await login(api, cart.body, 'eve');
      expectProblem(refused, 409);
      expect(refused.body.type).toMatch(/session-limit$/);
      const still = await api.request('GET', '/sessions/current', { headers: { 'session-token': cart.body.token } });
      expect(still.status).toBe(200);
      expect(still.body).toMatchObject({ id: cart.body.id, version: 1, data: { cart: ['sku-2'] } });
      expect(still.body.userId).toBeUndefined();
      expect((await api.request('GET', '/sessions/user/eve/count')).body).toEqual({ count: 2 });
    } finally {
      await api.close();
    }
  });
});
