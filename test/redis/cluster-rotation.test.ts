import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeHeader, forwarderValue, PENDING_MARK, pendingAlias } from '../../adapters/redis/stored-session.js';
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

  // Issue 14: a login counts against the user's cap. Across slots the cap is checked in the pending
  // write, pending sessions counted; a capped write that needs a pending session's place settles it.
  describe('under a session cap', () => {
    const oldest = { max: 1, policy: 'evict-oldest' } as const;

    /** carol's session created first, then a login of an anonymous session to carol. */
    async function loginAtTheCap() {
      const { store, old, next } = await login();
      const held = makeSession(T - 5, { userId: 'carol', id: handleIn(homeOfUser('carol')) });
      expect(await store.create(held, T)).toBe('created');
      return { store, old, next, held };
    }

    test('a login past the cap evicts as a create does, and reject refuses it and leaves the anonymous session', async () => {
      const { store, old, next, held } = await loginAtTheCap();
      expect(await store.rotate(old.id, next, T + 1, { graceUntil: T + 1, limit: { max: 1, policy: 'reject' } })).toBe('refused');
      expect(await store.get(old.id, T + 1)).toEqual(old);
      expect(await store.get(next.id, T + 1)).toBeUndefined();
      expect(await store.rotate(old.id, next, T + 1, { graceUntil: T + 1, limit: oldest })).toEqual({ session: next, evicted: [held.id] });
      expect(await store.get(held.id, T + 1)).toBeUndefined();
      expect(idsOf(await allPages((cursor) => store.listByUser('carol', { limit: 10, cursor }, T + 1)))).toEqual([next.id]);
    });

    /** Leaves the login as a rotation stopped after step 1 would: carol's pending session, the anonymous one still live. */
    async function stoppedAfterPending() {
      const { store, old, next } = await login();
      expect(await store.create(next, T + 1)).toBe('created');
      await redis.client.set(store.keys.session(next.id), encodeHeader(next, pendingAlias(old.id, T + 11)) + JSON.stringify(next.data));
      const created = makeSession(T + 2, { userId: 'carol', id: handleIn(homeOfUser('carol')) });
      return { store, old, next, created };
    }

    test('a capped create in the way of a login stopped after its pending write finishes that login, then decides', async () => {
      const { store, old, next, created } = await stoppedAfterPending();
      // The pending session counts and must be settled: its old session is live at the version it
      // read, so the login is finished (the anonymous session moves), and it is the oldest to go.
      expect(await store.create(created, T + 2, { limit: oldest })).toEqual({ evicted: [next.id] });
      expect(await store.get(old.id, T + 2)).toBeUndefined();
      expect(await store.get(next.id, T + 2)).toBeUndefined();
      expect(await store.countByUser('carol', T + 2)).toBe(1);
    });

    test('under reject, the finished login holds the place and the create is refused', async () => {
      const { store, old, next, created } = await stoppedAfterPending();
      expect(await store.create(created, T + 2, { limit: { max: 1, policy: 'reject' } })).toBe('refused');
      expect(await store.get(next.id, T + 2)).toEqual(next);
      // Finished with the forwarder the login names: within its grace the old token still resolves.
      expect(await store.resolve(old.id, T + 10)).toEqual(next);
      expect(await store.resolve(old.id, T + 11)).toBeUndefined();
    });

    test('a pending session whose anonymous session is gone (the login failed) is dropped, and the create fits', async () => {
      const { store, old, next, created } = await stoppedAfterPending();
      expect(await store.delete(old.id, T + 2)).toBe('deleted');
      expect(await store.create(created, T + 2, { limit: { max: 1, policy: 'reject' } })).toBe('created');
      expect(await redis.client.get(store.keys.session(next.id))).toBeNull();
      expect(idsOf(await allPages((cursor) => store.listByUser('carol', { limit: 10, cursor }, T + 2)))).toEqual([created.id]);
    });

    test('a pending session its forwarder already confirms (stopped after step 2) is confirmed, then counted as live', async () => {
      const { store, old, next, created } = await stoppedAfterPending();
      await redis.client.set(store.keys.session(old.id), forwarderValue(next.id, T + 11));
      expect(await store.create(created, T + 2, { limit: { max: 1, policy: 'reject' } })).toBe('refused');
      expect(await store.get(next.id, T + 2)).toEqual(next);
      expect(await store.resolve(old.id, T + 5)).toEqual(next);
    });
  });
});
