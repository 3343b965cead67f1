import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeHeader, forwarderValue, PENDING_MARK } from '../../adapters/redis/stored-session.js';
import { rotatedSession } from '../../core/index.js';
import { allPages, idsOf } from '../support/all-pages.js';
import { openRedisTestStore, type RedisTestStore } from '../support/redis-test-store.js';
import { handleIn, homeOfUser, makeSession } from '../support/session-fixtures.js';

const T = 1_000_123;
const change = { slide: true, absoluteTimeout: 1_000_000 };

// A login crosses homes, so cluster slots: the rotation is three steps (see RedisSessionStore.rotate).
// Here the states a crash between them would leave are written by hand, and read.
describe('rotation across Redis Cluster slots', () => {
  let redis: RedisTestStore;
  beforeAll(async () => {
    redis = await openRedisTestStore('cluster');
  });
  afterAll(() => redis?.close());

  /** An anonymous session and the session its login would write, in another slot. */
  async function login() {
    const store = redis.freshStore();
    let old = makeSession(T, { userId: undefined, ttl: 5000, data: { cart: [1] } });
    while (store.keys.tagOf(old.id) === store.keys.tagOf(handleIn(homeOfUser('carol')))) old = makeSession(T, { userId: undefined, ttl: 5000 });
    expect(await store.create(old, T)).toBe('created');
    const next = rotatedSession(old, handleIn(homeOfUser('carol')), 'carol', change, T + 1);
    return { store, old, next };
  }

  test('a login answers the new session; the old handle is a forwarder within the grace only', async () => {
    const { store, old, next } = await login();
    expect(await store.rotate(old.id, next, T + 1, { graceUntil: T + 11 })).toEqual({ session: next, evicted: [] });
    expect(await store.get(old.id, T + 1)).toBeUndefined();
    expect(await store.resolve(old.id, T + 10)).toEqual(next);
    expect(await store.resolve(old.id, T + 11)).toBeUndefined();
    expect(idsOf(await allPages((cursor) => store.listByUser('carol', { limit: 10, cursor }, T + 1)))).toEqual([next.id]);
    expect(await store.rotate(old.id, { ...next, id: handleIn(homeOfUser('carol')) }, T + 2, { graceUntil: T + 2 })).toBe('missing');
  });

  test('a crash after the pending write leaves nothing anyone can read; after the forwarder, a session that reads live and is finished', async () => {
    const { store, old, next } = await login();
    const pending = encodeHeader(next, PENDING_MARK + old.id) + JSON.stringify(next.data);
    expect(await store.create(next, T + 1)).toBe('created');
    await redis.client.set(store.keys.session(next.id), pending);
    // Crashed after step 1: the old session is the live one; the pending one is nowhere.
    expect(await store.get(next.id, T + 1)).toBeUndefined();
    expect(await store.resolve(next.id, T + 1)).toBeUndefined();
    expect((await store.get(old.id, T + 1))?.version).toBe(1);
    expect(await store.listByUser('carol', { limit: 10 }, T + 1)).toMatchObject({ sessions: [] });
    // Crashed after step 2: the forwarder confirms it, and the first read finishes the rotation.
    await redis.client.set(store.keys.session(old.id), forwarderValue(next.id, T + 1));
    expect(await store.get(old.id, T + 1)).toBeUndefined();
    expect(await store.get(next.id, T + 1)).toEqual(next);
    expect(await redis.client.get(store.keys.session(old.id))).toBeNull();
    expect(idsOf(await allPages((cursor) => store.listByUser('carol', { limit: 10, cursor }, T + 1)))).toEqual([next.id]);
  });
});
