import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RedisSessionStore, type RedisSessionStoreOptions } from '../../adapters/redis/index.js';
import { indexMember } from '../../adapters/redis/key-layout.js';
import { applyChange, InvalidInputError, type Session, type SessionChange } from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';
import { allPages } from '../support/all-pages.js';
import { handleIn, homeOfUser, makeSession } from '../support/session-fixtures.js';
import { keysWithPrefix } from './redis-keys.js';
import { describeRedisModelProperty } from './model-property.js';

/** A Redis (standalone or cluster) the suite may write to, and how to let go of it. */
export interface RedisTarget {
  readonly client: Redis | Cluster;
  close(): Promise<void>;
}

// Small, fake times with millisecond parts: the store must not depend on them being near
// Redis's clock, nor round deadlines to seconds.
const T = 1_000_123;
const GRACE = 60_000;
const byId = (a: Session, b: Session): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A fresh store under its own prefix on a target, and what the tests look at directly. */
export interface FreshStore {
  readonly store: RedisSessionStore;
  readonly client: Redis | Cluster;
  readonly prefix: string;
}

/** The store's behaviour, the same body for standalone Redis and Redis Cluster. */
export function describeRedisStoreBehaviour(kind: string, open: () => Promise<RedisTarget>): void {
  describe(`RedisSessionStore on ${kind}`, () => {
    let target: RedisTarget | undefined;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      await target?.close();
    });

    // A prefix per store keeps tests apart without flushing (a cluster has no single FLUSHALL).
    function fresh(options: RedisSessionStoreOptions = {}): FreshStore {
      if (!target) throw new Error('no redis');
      const prefix = `t-${randomUUID().slice(0, 8)}:`;
      return { store: new RedisSessionStore(target.client, { keyPrefix: prefix, sha256: nodeSha256, ...options }), client: target.client, prefix };
    }

    test('create, get, a handle that is taken, anonymous sessions', async () => {
      const { store } = fresh();
      const session = makeSession(T, { data: { cart: [1, 2], name: 'ü€' } });
      const anonymous = makeSession(T, { userId: undefined });
      expect(await store.create(session, T)).toBe('created');
      expect(await store.create(anonymous, T)).toBe('created');
      expect(await store.get(session.id, T)).toEqual(session);
      expect(await store.get(anonymous.id, T)).toEqual(anonymous);
      expect((await store.get(anonymous.id, T))?.userId).toBeUndefined();
      expect(await store.create({ ...session, data: { other: true } }, T + 1)).toBe('exists');
      expect(await store.get(session.id, T + 1)).toEqual(session);
      expect(await store.get(handleIn(), T)).toBeUndefined();
      expect(await store.resolve(session.id, T)).toEqual(session);
    });

    test('a session whose expiresAt equals now is invisible to every read and write', async () => {
      const { store } = fresh();
      const sessions = Array.from({ length: 4 }, () => makeSession(T, { userId: 'bob' }));
      for (const s of sessions) await store.create(s, T);
      const at = T + 1000;
      const [a, b, c] = sessions as [Session, Session, Session, Session];
      // Single-session calls first: a listing or a create would reclaim them before they are asked.
      expect(await store.get(a.id, at - 1)).toEqual(a);
      expect(await store.get(a.id, at)).toBeUndefined();
      expect(await store.resolve(a.id, at)).toBeUndefined();
      expect(await store.update(b.id, { slide: true, absoluteTimeout: 1e9 }, at)).toBe('missing');
      expect(await store.update(c.id, { data: { x: 1 }, slide: true, absoluteTimeout: 1e9, expectedVersion: 1 }, at)).toBe('missing');
      expect(await store.delete(c.id, at)).toBe('missing');
      expect(await store.deleteByUser('bob', at)).toBe(0);
      expect((await store.list({ limit: 10 }, at)).sessions).toEqual([]);
      expect((await store.listByUser('bob', { limit: 10 }, at)).sessions).toEqual([]);
      expect(await store.get(b.id, at - 1)).toBeUndefined();
    });

    test('update computes exactly what applyChange says, for every kind of change', async () => {
      const { store } = fresh();
      const changes: SessionChange[] = [
        { slide: true, absoluteTimeout: 10_000 },
        { slide: false, absoluteTimeout: 10_000 },
        { slide: true, absoluteTimeout: 700 },
        { data: { step: 2 }, slide: true, absoluteTimeout: 10_000 },
        { data: { step: 3 }, slide: false, absoluteTimeout: 1_250 },
        { data: { step: 4 }, slide: true, absoluteTimeout: 10_000, expectedVersion: 1 },
      ];
      for (const change of changes) {
        for (const userId of ['ann', undefined]) {
          const session = makeSession(T, { userId, ttl: 1_500, expiresAt: T + 900, data: { step: 1 } });
          await store.create(session, T);
          const now = T + 333;
          const written = await store.update(session.id, change, now);
          expect(written).toEqual(applyChange(session, change, now));
          expect(await store.get(session.id, now)).toEqual(written);
          // A second write at the old version is refused; without one it applies again.
          if (change.expectedVersion !== undefined) expect(await store.update(session.id, change, now + 1)).toBe('conflict');
          else expect(await store.update(session.id, change, now + 1)).toEqual(applyChange(written as Session, change, now + 1));
        }
      }
      expect(await store.update(handleIn(), { slide: true, absoluteTimeout: 1 }, T)).toBe('missing');
    });

    test('a refresh keeps the session listed by its new deadline and reclaimed by it', async () => {
      const { store } = fresh({ reclaimBudget: 100 });
      const session = makeSession(T, { userId: 'kim', ttl: 1000 });
      await store.create(session, T);
      await store.update(session.id, { slide: true, absoluteTimeout: 1e9 }, T + 800);
      // Past the first deadline a create reclaims expired sessions of the partition: not this one.
      await store.create(makeSession(T + 1_200, { userId: 'kim' }), T + 1_200);
      expect((await store.listByUser('kim', { limit: 10 }, T + 1_200)).sessions.map((s) => s.id)).toContain(session.id);
      expect((await store.get(session.id, T + 1_799))?.version).toBe(2);
      expect(await store.get(session.id, T + 1_800)).toBeUndefined();
    });

    test('the expiry index is lazy: a deadline moved later keeps its score until reclaiming meets it live and scores it by its deadline', async () => {
      const { store, client } = fresh({ reclaimBudget: 100, expiryStepMs: 1 });
      const session = makeSession(T, { userId: 'lee', ttl: 1000 });
      await store.create(session, T);
      const exp = store.keys.expiry(store.keys.tagOf(session.id));
      const member = indexMember('lee', session.id);
      expect(Number(await client.zscore(exp, member))).toBe(T + 1000);
      // A refresh and a replace move the deadline later: no index write.
      await store.update(session.id, { slide: true, absoluteTimeout: 1e9 }, T + 800);
      await store.update(session.id, { data: { n: 1 }, slide: true, absoluteTimeout: 1e9 }, T + 900);
      expect(Number(await client.zscore(exp, member))).toBe(T + 1000);
      // Past the old score a create's reclaiming meets it live: scored by its deadline, not removed.
      await store.create(makeSession(T + 1_200, { userId: 'lee' }), T + 1_200);
      expect(Number(await client.zscore(exp, member))).toBe(T + 1_900);
      expect((await store.get(session.id, T + 1_899))?.version).toBe(3);
      // At that deadline it is reclaimed: its key and both index entries go.
      await store.create(makeSession(T + 1_900, { userId: 'lee' }), T + 1_900);
      expect(await client.zscore(exp, member)).toBeNull();
      expect(await client.zscore(store.keys.ids(store.keys.tagOf(session.id)), member)).toBeNull();
      expect(await client.exists(store.keys.session(session.id))).toBe(0);
    });

    test('a deadline moved earlier (the absolute timeout clamping it) is scored again, so it is reclaimed at that deadline', async () => {
      const { store, client } = fresh({ reclaimBudget: 100, expiryStepMs: 1 });
      const session = makeSession(T, { userId: 'max', ttl: 1000 });
      await store.create(session, T);
      const exp = store.keys.expiry(store.keys.tagOf(session.id));
      const written = await store.update(session.id, { slide: true, absoluteTimeout: 500 }, T + 100);
      expect(written).toMatchObject({ expiresAt: T + 500, version: 2 });
      expect(Number(await client.zscore(exp, indexMember('max', session.id)))).toBe(T + 500);
      await store.create(makeSession(T + 500, { userId: 'max' }), T + 500);
      expect(await client.exists(store.keys.session(session.id))).toBe(0);
      expect(await client.zscore(exp, indexMember('max', session.id))).toBeNull();
    });

    test('delete removes a live session only, at the expected version when one is named', async () => {
      const { store } = fresh();
      const live = makeSession(T);
      const old = makeSession(T, { ttl: 10 });
      await store.create(live, T);
      await store.create(old, T);
      expect(await store.delete(old.id, T + 10)).toBe('missing');
      expect(await store.delete(live.id, T + 10, 2)).toBe('conflict');
      expect(await store.delete(live.id, T + 10, 1)).toBe('deleted');
      expect(await store.delete(live.id, T + 10)).toBe('missing');
      expect(await store.get(live.id, T + 10)).toBeUndefined();
      expect((await store.list({ limit: 10 }, T + 10)).sessions).toEqual([]);
    });

    test('paging through everyone yields each live session exactly once, within the byte bound', async () => {
      const { store } = fresh({ partitions: 4 });
      const sessions = Array.from({ length: 53 }, (_, i) =>
        makeSession(T, { userId: i % 5 === 4 ? undefined : `user-${i % 4}`, ttl: i % 5 === 0 ? 50 : 5000, data: { i, pad: 'x'.repeat(i) } }),
      );
      for (const s of sessions) await store.create(s, T);
      const now = T + 50;
      const live = sessions.filter((s) => s.expiresAt > now).sort(byId);
      for (const limit of [1, 7, 42, 1000]) {
        const pages = await allPages((cursor) => store.list({ limit, cursor }, now));
        expect(pages.flatMap((p) => p.sessions).sort(byId)).toEqual(live);
        expect(pages.every((p) => p.sessions.length <= limit)).toBe(true);
        expect(pages.at(-1)?.nextCursor).toBeNull();
      }
      const maxBytes = 200;
      const pages = await allPages((cursor) => store.list({ limit: 1000, cursor, maxBytes }, now));
      expect(pages.flatMap((p) => p.sessions).sort(byId)).toEqual(live);
      for (const page of pages) {
        const bytes = page.sessions.reduce((sum, s) => sum + Buffer.byteLength(JSON.stringify(s.data)), 0);
        expect(page.sessions.length <= 1 || bytes <= maxBytes).toBe(true);
      }
    });

    test('listByUser pages through one user and no one else', async () => {
      const { store } = fresh();
      const sessions = Array.from({ length: 30 }, (_, i) =>
        makeSession(T, { userId: i % 3 === 0 ? 'carol' : 'dave', ttl: i % 4 === 0 ? 50 : 5000 }),
      );
      // Another user's session in carol's home (as a hash collision would put it) stays out.
      const neighbour = { ...makeSession(T, { userId: 'carolina' }), id: handleIn(homeOfUser('carol')) };
      for (const s of [...sessions, neighbour]) await store.create(s, T);
      const now = T + 50;
      const carol = sessions.filter((s) => s.userId === 'carol' && s.expiresAt > now).sort(byId);
      for (const limit of [1, 3, 100]) {
        const pages = await allPages((cursor) => store.listByUser('carol', { limit, cursor }, now));
        expect(pages.flatMap((p) => p.sessions)).toEqual(carol);
      }
      expect(await store.listByUser('nobody', { limit: 10 }, now)).toEqual({ sessions: [], nextCursor: null });
    });

    test('deleteByUser removes every session of the user in batches and counts the live ones', async () => {
      const { store } = fresh({ deleteBatch: 3 });
      const erin = Array.from({ length: 20 }, (_, i) => makeSession(T, { userId: 'erin', ttl: i < 5 ? 50 : 5000 }));
      const frank = makeSession(T, { userId: 'frank' });
      for (const s of [...erin, frank]) await store.create(s, T);
      expect(await store.deleteByUser('erin', T + 50)).toBe(15);
      expect(await store.listByUser('erin', { limit: 100 }, T + 50)).toEqual({ sessions: [], nextCursor: null });
      for (const s of erin) expect(await store.get(s.id, T)).toBeUndefined();
      expect((await store.list({ limit: 100 }, T + 50)).sessions).toEqual([frank]);
      expect(await store.deleteByUser('erin', T + 50)).toBe(0);
    });

    test("a caller's token is free again once its user's session expired, even when the create's own reclaiming removes that session", async () => {
      // One partition: the create at the alias's handle reclaims the expired session first (with
      // its alias still at the handle), so the alias it meets is stale from within the same script.
      const { store } = fresh({ partitions: 1, expiryStepMs: 1 });
      const digest = handleIn().slice(5);
      const owned = makeSession(T, { userId: 'ivy', id: `${homeOfUser('ivy')}.${digest}`, ttl: 100 });
      const alias = `${digest.slice(0, 4)}.${digest}`;
      expect(await store.create(owned, T, { alias })).toBe('created');
      const anonymous = makeSession(T + 100, { userId: undefined, id: alias });
      expect(await store.create(anonymous, T + 99)).toBe('exists');
      expect(await store.create(anonymous, T + 100)).toBe('created');
      expect(await store.resolve(alias, T + 100)).toEqual(anonymous);
      expect(await store.get(alias, T + 100)).toEqual(anonymous);
      expect(await store.get(owned.id, T + 100)).toBeUndefined();
    });

    test('countByUser and deleteByUser with except work through batches and keep the one excepted wherever it falls', async () => {
      const { store } = fresh({ deleteBatch: 3, countBatch: 3 });
      const gus = Array.from({ length: 10 }, (_, i) => makeSession(T, { userId: 'gus', ttl: i < 2 ? 50 : 5000 }));
      for (const s of [...gus, makeSession(T, { userId: 'gus-other' })]) await store.create(s, T);
      expect(await store.countByUser('gus', T)).toBe(10);
      expect(await store.countByUser('gus', T + 50)).toBe(8);
      expect(await store.countByUser('nobody', T)).toBe(0);
      // Kept: the one in the middle of the index, at a batch boundary and not.
      const byIndex = [...gus].sort((a, b) => (a.id < b.id ? -1 : 1));
      // The first live one from the middle on (both expired ones may sit at 5 and 6).
      const kept = byIndex.slice(5).find((s) => s.ttl !== 50)!;
      expect(await store.deleteByUser('gus', T + 50, kept.id)).toBe(7);
      expect(await store.countByUser('gus', T + 50)).toBe(1);
      expect(await store.get(kept.id, T + 50)).toEqual(kept);
      expect(await store.countByUser('gus-other', T + 50)).toBe(1);
      expect(await store.deleteByUser('gus', T + 50, kept.id)).toBe(0);
      expect(await store.deleteByUser('gus', T + 50)).toBe(1);
    });

    test('a cursor the listing did not issue is refused', async () => {
      const { store } = fresh();
      for (let i = 0; i < 3; i++) await store.create(makeSession(T), T);
      const everyone = (await store.list({ limit: 1 }, T)).nextCursor as string;
      const alices = (await store.listByUser('alice', { limit: 1 }, T)).nextCursor as string;
      expect(everyone).toEqual(expect.any(String));
      expect(alices).toEqual(expect.any(String));
      const forge = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
      const bad = [
        'abc',
        everyone.slice(0, -1),
        `${everyone}A`,
        forge(['16:']),
        forge(['-1:']),
        forge(['1:nohandle']),
        forge([`0:alice\0${handleIn()}x`]),
        forge([handleIn(), 'alice']).toUpperCase(),
      ];
      const refused = async (call: () => Promise<unknown>): Promise<void> => {
        const error = await call().then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).field).toBe('cursor');
      };
      for (const cursor of [...bad, alices]) await refused(() => store.list({ limit: 1, cursor }, T));
      for (const cursor of [...bad, everyone]) await refused(() => store.listByUser('alice', { limit: 1, cursor }, T));
      await refused(() => store.listByUser('bob', { limit: 1, cursor: alices }, T));
    });

    test('an alias resolves to its session while it lives, is taken, and goes with it', async () => {
      const { store, client, prefix } = fresh();
      const session = makeSession(T, { userId: 'hana', ttl: 1000 });
      const alias = handleIn();
      expect(await store.create(session, T, { alias })).toBe('created');
      expect(await store.resolve(alias, T)).toEqual(session);
      expect(await store.get(alias, T)).toBeUndefined();
      // Taken as an alias: neither a session nor another alias may have it.
      expect(await store.create(makeSession(T, { id: alias, userId: undefined }), T)).toBe('exists');
      expect(await store.create(makeSession(T, { userId: 'hana' }), T, { alias })).toBe('exists');
      // An alias that is a live session's handle is refused, and the refusal leaves nothing behind.
      const other = makeSession(T, { userId: 'hana' });
      const spare = handleIn();
      expect(await store.create(other, T, { alias: session.id })).toBe('exists');
      expect(await store.create(session, T, { alias: spare })).toBe('exists');
      expect(await store.resolve(spare, T)).toBeUndefined();
      expect(await store.get(other.id, T)).toBeUndefined();
      const written = await store.update(session.id, { data: { n: 1 }, slide: true, absoluteTimeout: 1e9 }, T + 10);
      expect(await store.resolve(alias, T + 10)).toEqual(written);
      expect(await store.resolve(alias, T + 1010)).toBeUndefined();
      expect(await store.delete(session.id, T + 10)).toBe('deleted');
      expect(await store.resolve(alias, T + 10)).toBeUndefined();
      expect(await keysWithPrefix(client, prefix)).toEqual([]);
      // Removed by deleteByUser too.
      const again = makeSession(T, { userId: 'hana' });
      await store.create(again, T, { alias });
      expect(await store.resolve(alias, T)).toEqual(again);
      expect(await store.deleteByUser('hana', T)).toBe(1);
      expect(await keysWithPrefix(client, prefix)).toEqual([]);
    });

    test('nothing outlives its session: after expiry and reclaiming, no key of the store is left', async () => {
      const { store, client, prefix } = fresh({ partitions: 4 });
      for (let i = 0; i < 40; i++) {
        const session = makeSession(T, { userId: i % 3 === 0 ? undefined : `u${i % 5}`, ttl: 100 + i });
        await store.create(session, T, { alias: i % 4 === 0 && session.userId !== undefined ? handleIn() : undefined });
      }
      expect((await keysWithPrefix(client, prefix)).length).toBeGreaterThan(40);
      // Reclaiming is paid for by writes and listings; paging everyone once after expiry reclaims all.
      const later = T + 1000;
      const pages = await allPages((cursor) => store.list({ limit: 5, cursor }, later));
      expect(pages.flatMap((p) => p.sessions)).toEqual([]);
      expect(await keysWithPrefix(client, prefix)).toEqual([]);
    });

    test('every key of a user\'s sessions is in one hash slot', async () => {
      const { store, client, prefix } = fresh();
      for (let i = 0; i < 10; i++) await store.create(makeSession(T, { userId: 'ivy' }), T);
      const keys = await keysWithPrefix(client, prefix);
      expect(keys.length).toBe(12);
      const slots = new Set<number>();
      for (const key of keys) {
        const slot = client.isCluster ? await (client as Cluster).cluster('KEYSLOT', key) : slotOfTag(key);
        slots.add(Number(slot));
      }
      expect(slots.size).toBe(1);
    });

    test('"__proto__" keys in data round-trip as plain data', async () => {
      const { store } = fresh();
      const data = JSON.parse('{"__proto__": {"polluted": true}, "nested": {"__proto__": [1]}, "a": 1}');
      const session = makeSession(T, { data });
      await store.create(session, T);
      const read = (await store.get(session.id, T)) as Session;
      expect(JSON.stringify(read.data)).toBe(JSON.stringify(data));
      expect(Object.keys(read.data)).toEqual(['__proto__', 'nested', 'a']);
      expect(Object.getPrototypeOf(read.data)).toBe(Object.prototype);
      const [listed] = (await store.list({ limit: 1 }, T)).sessions;
      expect(JSON.stringify(listed?.data)).toBe(JSON.stringify(data));
    });

    describeRedisModelProperty(() => fresh({ partitions: 3, reclaimBudget: 2, deleteBatch: 2, countBatch: 2 }).store);

    test('ping answers', async () => {
      await expect(fresh().store.ping()).resolves.toBeUndefined();
    });
  });
}

/** The hash tag of a key, which decides its slot: standalone Redis has no CLUSTER KEYSLOT. */
function slotOfTag(key: string): string {
  return /\{([^}]*)\}/.exec(key)?.[1] ?? key;
}
