import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { RedisSessionStore, type RedisSessionStoreOptions } from '../../adapters/redis/index.js';
import { KeyLayout } from '../../adapters/redis/key-layout.js';
import { InvalidInputError, type Page, type Session, type SessionStore } from '../../core/index.js';
import { makeSession } from '../support/session-fixtures.js';

/** A Redis (standalone or cluster) the suite may write to, and how to let go of it. */
export interface RedisTarget {
  readonly client: Redis | Cluster;
  close(): Promise<void>;
}

// Small, fake times: the store must not depend on them being near Redis's clock.
const T = 1_000_000;
const GRACE = 60_000;

/** Every page of a listing, first to last. */
async function allPages(read: (cursor: string | undefined) => Promise<Page>): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
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
    function fresh(options: RedisSessionStoreOptions = {}): { store: RedisSessionStore; keys: KeyLayout; client: Redis | Cluster } {
      if (!target) throw new Error('no redis');
      const keyPrefix = `t-${randomUUID().slice(0, 8)}:`;
      return {
        store: new RedisSessionStore(target.client, { keyPrefix, ...options }),
        keys: new KeyLayout(keyPrefix, options.shards ?? 16),
        client: target.client,
      };
    }

    test('create, get, and an id that is taken', async () => {
      const { store } = fresh();
      const session = makeSession(T, { data: { cart: [1, 2], name: 'ü€' } });
      expect(await store.create(session, T)).toBe('created');
      expect(await store.get(session.id, T)).toEqual(session);
      expect(await store.create({ ...session, userId: 'mallory' }, T + 1)).toBe('exists');
      expect(await store.get(session.id, T + 1)).toEqual(session);
      expect(await store.get(randomUUID(), T)).toBeUndefined();
    });

    test('a session whose expiresAt equals now is invisible to every read and write', async () => {
      const { store } = fresh();
      const at = T + 1000;
      const sessions = Array.from({ length: 4 }, () => makeSession(T, { userId: 'bob' }));
      for (const s of sessions) await store.create(s, T);
      const [a, b, c, d] = sessions as [Session, Session, Session, Session];
      expect(await store.get(a.id, at - 1)).toEqual(a);
      expect((await store.list({ limit: 10 }, at)).sessions).toEqual([]);
      expect((await store.listByUser('bob', { limit: 10 }, at)).sessions).toEqual([]);
      expect(await store.get(a.id, at)).toBeUndefined();
      expect(await store.replace({ ...b, version: 2, expiresAt: at + 1000 }, 1, at)).toBe('missing');
      expect(await store.refresh(c.id, { expectedVersion: 1, expiresAt: at + 1000, updatedAt: at }, at)).toBe('missing');
      expect(await store.delete(d.id, at)).toBe('missing');
      expect(await store.deleteByUser('bob', at)).toBe(0);
      // Nothing came back to life for an earlier `now` either: the writes above were refused.
      expect(await store.get(b.id, at - 1)).toBeUndefined();
    });

    test('replace writes at the expected version only', async () => {
      const { store } = fresh();
      const session = makeSession(T);
      await store.create(session, T);
      const next = { ...session, data: { step: 2 }, updatedAt: T + 5, expiresAt: T + 2000, version: 2 };
      expect(await store.replace(next, 1, T + 5)).toBe('written');
      expect(await store.get(session.id, T + 5)).toEqual(next);
      expect(await store.replace({ ...next, version: 2 }, 1, T + 6)).toBe('conflict');
      expect(await store.replace({ ...next, version: 4 }, 3, T + 6)).toBe('conflict');
      expect(await store.get(session.id, T + 6)).toEqual(next);
      expect(await store.replace(makeSession(T, { version: 2 }), 1, T)).toBe('missing');
      // The new deadline holds: alive past the old one.
      expect(await store.get(session.id, T + 1500)).toEqual(next);
    });

    test('refresh moves the deadline and bumps the version', async () => {
      const { store, keys, client } = fresh();
      const session = makeSession(T);
      await store.create(session, T);
      const change = { expectedVersion: 1, expiresAt: T + 5000, updatedAt: T + 10 };
      const refreshing = performance.now();
      expect(await store.refresh(session.id, change, T + 10)).toBe('written');
      const refreshed = { ...session, expiresAt: T + 5000, updatedAt: T + 10, version: 2 };
      expect(await store.get(session.id, T + 4999)).toEqual(refreshed);
      expect(await store.refresh(session.id, change, T + 20)).toBe('conflict');
      expect(await store.refresh(randomUUID(), change, T + 20)).toBe('missing');
      // Native expiry follows: deadline - now + grace.
      const pttl = await client.pttl(keys.session(keys.tagOf(session.id), session.id));
      expect(pttl).toBeLessThanOrEqual(5000 - 10 + GRACE);
      // Less only by the real time since the refresh, however long a loaded machine took.
      expect(pttl).toBeGreaterThanOrEqual(5000 - 10 + GRACE - Math.ceil(performance.now() - refreshing) - 1);
    });

    test('delete is true only for a live session', async () => {
      const { store } = fresh();
      const live = makeSession(T);
      const old = makeSession(T, { ttl: 10 });
      await store.create(live, T);
      await store.create(old, T);
      expect(await store.delete(old.id, T + 10)).toBe('missing');
      expect(await store.delete(live.id, T + 10)).toBe('deleted');
      expect(await store.delete(live.id, T + 10)).toBe('missing');
      expect(await store.get(live.id, T + 10)).toBeUndefined();
      expect((await store.list({ limit: 10 }, T + 10)).sessions).toEqual([]);
    });

    test('paging through all sessions yields each live one exactly once, like the reference', async () => {
      const { store } = fresh();
      const memory = new MemorySessionStore();
      const sessions = Array.from({ length: 53 }, (_, i) =>
        makeSession(T, { userId: `user-${i % 4}`, ttl: i % 5 === 0 ? 50 : 5000, data: { i } }),
      );
      for (const s of sessions) {
        await store.create(s, T);
        await memory.create(s, T);
      }
      const now = T + 50;
      const live = sessions.filter((s) => s.expiresAt > now).sort((a, b) => (a.id < b.id ? -1 : 1));
      for (const limit of [1, 7, 42, 1000]) {
        const pages = await allPages((cursor) => store.list({ limit, cursor }, now));
        expect(pages.flatMap((p) => p.sessions)).toEqual(live);
        expect(pages).toEqual(await allPages((cursor) => memory.list({ limit, cursor }, now)));
        expect(pages.at(-1)?.nextCursor).toBeNull();
      }
    });

    test('listByUser pages through one user, like the reference', async () => {
      const { store } = fresh();
      const memory = new MemorySessionStore();
      const sessions = Array.from({ length: 30 }, (_, i) =>
        makeSession(T, { userId: i % 3 === 0 ? 'carol' : 'dave', ttl: i % 4 === 0 ? 50 : 5000 }),
      );
      for (const s of sessions) {
        await store.create(s, T);
        await memory.create(s, T);
      }
      const now = T + 50;
      for (const limit of [1, 3, 100]) {
        const pages = await allPages((cursor) => store.listByUser('carol', { limit, cursor }, now));
        const ids = pages.flatMap((p) => p.sessions.map((s) => s.id));
        expect(ids).toEqual(
          sessions.filter((s) => s.userId === 'carol' && s.expiresAt > now).map((s) => s.id).sort(),
        );
        expect(pages).toEqual(await allPages((cursor) => memory.listByUser('carol', { limit, cursor }, now)));
      }
      expect(await store.listByUser('nobody', { limit: 10 }, now)).toEqual({ sessions: [], nextCursor: null });
    });

    test('deleteByUser removes every session of the user and counts the live ones', async () => {
      const { store } = fresh();
      const erin = Array.from({ length: 20 }, (_, i) => makeSession(T, { userId: 'erin', ttl: i < 5 ? 50 : 5000 }));
      const frank = makeSession(T, { userId: 'frank' });
      for (const s of [...erin, frank]) await store.create(s, T);
      expect(await store.deleteByUser('erin', T + 50)).toBe(15);
      expect(await store.listByUser('erin', { limit: 100 }, T + 50)).toEqual({ sessions: [], nextCursor: null });
      for (const s of erin) expect(await store.get(s.id, T)).toBeUndefined();
      expect(await store.get(frank.id, T + 50)).toEqual(frank);
      expect((await store.list({ limit: 100 }, T + 50)).sessions).toEqual([frank]);
      expect(await store.deleteByUser('erin', T + 50)).toBe(0);
    });

    test('a cursor the store did not issue is refused', async () => {
      const { store } = fresh();
      for (let i = 0; i < 3; i++) await store.create(makeSession(T), T);
      const { nextCursor } = await store.list({ limit: 1 }, T);
      expect(nextCursor).toEqual(expect.any(String));
      const cursor = nextCursor as string;
      const tampered = [
        'abc',
        cursor.slice(0, -1),
        `${cursor}A`,
        Buffer.from('not-a-session-id').toString('base64url'),
        // Decodes to the same id in upper case, or to a UUID of another version: not ours. (The
        // cursor is the JSON text `["<id>"]`, so the id's version digit is its 17th character.)
        Buffer.from(Buffer.from(cursor, 'base64url').toString('latin1').toUpperCase()).toString('base64url'),
        Buffer.from(Buffer.from(cursor, 'base64url').toString('latin1').replace(/^(.{16})4/, '$11')).toString('base64url'),
      ];
      expect(tampered.every((bad) => bad !== cursor)).toBe(true);
      // A cursor is a position (the last id of a page) in one listing, as in the in-memory store:
      // any id this store could have issued for that listing is accepted, anything else is refused.
      for (const bad of tampered) {
        for (const call of [() => store.list({ limit: 1, cursor: bad }, T), () => store.listByUser('alice', { limit: 1, cursor: bad }, T)]) {
          const error = await call().then(() => undefined, (e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidInputError);
          expect((error as InvalidInputError).field).toBe('cursor');
        }
      }
    });

    test('the user index is trimmed as it is read and expires with its last session', async () => {
      // One bucket, so the user has one index key to look at.
      const { store, keys, client } = fresh({ shards: 1 });
      const short = makeSession(T, { userId: 'gina', ttl: 100 });
      const long = makeSession(T, { userId: 'gina', ttl: 5000 });
      await store.create(short, T);
      const creating = performance.now();
      await store.create(long, T);
      const index = keys.user(keys.tagOf(long.id), 'gina');
      expect(await client.zcard(index)).toBe(2);
      const pttl = await client.pttl(index);
      expect(pttl).toBeLessThanOrEqual(5000 + GRACE);
      expect(pttl).toBeGreaterThanOrEqual(5000 + GRACE - Math.ceil(performance.now() - creating) - 1);
      expect((await store.listByUser('gina', { limit: 10 }, T + 100)).sessions).toEqual([long]);
      expect(await client.zrange(index, '0', '-1')).toEqual([long.id]);
      // Deleting the last session removes the index itself.
      expect(await store.delete(long.id, T + 100)).toBe('deleted');
      expect(await client.exists(index)).toBe(0);
      // The bucket's own indexes expire with their latest member too.
      await store.create(makeSession(T, { userId: 'gina', ttl: 700 }), T);
      const bucketTtl = await client.pttl(keys.expiry(keys.tagOf(long.id)));
      expect(bucketTtl).toBeGreaterThan(0);
      expect(bucketTtl).toBeLessThanOrEqual(700 + GRACE);
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
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      const [listed] = (await store.list({ limit: 1 }, T)).sessions;
      expect(JSON.stringify(listed?.data)).toBe(JSON.stringify(data));
    });

    test('any sequence of calls gets the same answers as the in-memory reference', async () => {
      type Op =
        | { op: 'create'; user: number; ttl: number; reuse: number | null }
        | { op: 'get' | 'delete'; pick: number }
        | { op: 'replace' | 'refresh'; pick: number; stale: boolean; ttl: number }
        | { op: 'list'; limit: number }
        | { op: 'listByUser' | 'deleteByUser'; user: number; limit: number }
        | { op: 'tick'; by: number };
      const pick = fc.nat(30);
      const ttl = fc.integer({ min: 1, max: 5 });
      const user = fc.nat(2);
      const limit = fc.integer({ min: 1, max: 3 });
      const op: fc.Arbitrary<Op> = fc.oneof(
        fc.record({ op: fc.constant('create' as const), user, ttl, reuse: fc.option(pick) }),
        fc.record({ op: fc.constantFrom('get' as const, 'delete' as const), pick }),
        fc.record({ op: fc.constantFrom('replace' as const, 'refresh' as const), pick, stale: fc.boolean(), ttl }),
        fc.record({ op: fc.constant('list' as const), limit }),
        fc.record({ op: fc.constantFrom('listByUser' as const, 'deleteByUser' as const), user, limit }),
        fc.record({ op: fc.constant('tick' as const), by: fc.integer({ min: 0, max: 6 }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
          const { store } = fresh({ reclaimBudget: 1000 });
          const model = new MemorySessionStore({ reclaimBudget: 1000 });
          const both = async <R>(call: (s: SessionStore) => Promise<R>): Promise<R> => {
            const expected = await call(model);
            expect(await call(store)).toEqual(expected);
            return expected;
          };
          const ids: string[] = [];
          const idAt = (i: number): string => ids[i % Math.max(ids.length, 1)] ?? randomUUID();
          let now = T;
          for (const step of ops) {
            switch (step.op) {
              case 'create': {
                const id = step.reuse === null ? randomUUID() : idAt(step.reuse);
                const session = makeSession(now, { id, userId: `u${step.user}`, ttl: step.ttl, data: { at: now } });
                if ((await both((s) => s.create(session, now))) === 'created') ids.push(id);
                break;
              }
              case 'get':
                await both((s) => s.get(idAt(step.pick), now));
                break;
              case 'delete':
                await both((s) => s.delete(idAt(step.pick), now));
                break;
              case 'replace':
              case 'refresh': {
                const id = idAt(step.pick);
                const current = (await model.get(id, now)) ?? makeSession(now, { id });
                const expected = current.version + (step.stale ? 1 : 0);
                const next = { ...current, data: { at: now }, updatedAt: now, expiresAt: now + step.ttl, version: expected + 1 };
                const change = { expectedVersion: expected, expiresAt: next.expiresAt, updatedAt: now };
                await both((s) => (step.op === 'replace' ? s.replace(next, expected, now) : s.refresh(id, change, now)));
                break;
              }
              case 'list':
                await both((s) => allPages((cursor) => s.list({ limit: step.limit, cursor }, now)));
                break;
              case 'listByUser':
                await both((s) => allPages((cursor) => s.listByUser(`u${step.user}`, { limit: step.limit, cursor }, now)));
                break;
              case 'deleteByUser':
                await both((s) => s.deleteByUser(`u${step.user}`, now));
                break;
              case 'tick':
                now += step.by;
                break;
            }
          }
          await both((s) => allPages((cursor) => s.list({ limit: 2, cursor }, now)));
        }),
        { numRuns: 40 },
      );
    });

    test('ping answers', async () => {
      const { store } = fresh();
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
