import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { RedisSessionStore, type RedisSessionStoreOptions } from '../../adapters/redis/index.js';
import { encodeHeader, forwarderValue, pendingAlias } from '../../adapters/redis/stored-session.js';
import {
  encodeEventCursor,
  encodePageCursor,
  InvalidInputError,
  rotatedSession,
  type Session,
  type SessionEvent,
  type SessionEventLog,
} from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';
import { startRedisCluster, startRedisServer } from '../support/redis-server.js';
import { handleIn, homeOfUser, makeSession } from '../support/session-fixtures.js';
import { waitUntil } from '../support/wait-until.js';
import { keysWithPrefix } from './redis-keys.js';

// Small, fake times: the store must take every time from the core, never from Redis's clock.
const T = 1_000_123;
const FOREVER = 1e12;

/** Every event after `after`, page by page of `limit`, and the cursor after the last. */
async function readAll(log: SessionEventLog, after: string | undefined, now: number, limit = 1000): Promise<{ events: SessionEvent[]; cursor: string }> {
  const events: SessionEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await log.read(cursor, limit, now);
    cursor = page.cursor;
    if (page.events.length === 0) return { events, cursor };
    events.push(...page.events);
  }
}

/** The events without their ids (which are the store's own), for comparing with what is expected. */
const bare = (events: readonly SessionEvent[]): Omit<SessionEvent, 'id'>[] => events.map(({ id: _id, ...rest }) => rest);

/** The session a rotation of `old` writes at `now`: one version on, at a new handle (in `userId`'s home). */
function rotated(old: Session, now: number, userId: string | undefined = old.userId): Session {
  return {
    ...old,
    id: handleIn(userId === undefined ? undefined : homeOfUser(userId)),
    ...(userId === undefined ? {} : { userId }),
    version: old.version + 1,
    updatedAt: now,
  };
}

interface Target {
  readonly client: Redis | Cluster;
  /** Another client on the same Redis (another process would have one of its own). */
  newClient(): Redis | Cluster;
  close(): Promise<void>;
}

function describeEvents(kind: 'standalone' | 'cluster'): void {
  describe(`Redis ${kind} event log`, () => {
    let target: Target;
    const extraClients: (Redis | Cluster)[] = [];
    beforeAll(async () => {
      if (kind === 'standalone') {
        const server = await startRedisServer();
        const client = createRedisClient({ url: server.url });
        target = { client, newClient: () => createRedisClient({ url: server.url }), close: async () => (client.disconnect(), server.stop()) };
      } else {
        const cluster = await startRedisCluster();
        const client = createRedisClient({ clusterNodes: cluster.nodes });
        target = {
          client,
          newClient: () => createRedisClient({ clusterNodes: cluster.nodes }),
          close: async () => (client.disconnect(), cluster.stop()),
        };
      }
      await waitUntil(() => target.client.ping());
    }, 60_000);
    afterAll(async () => {
      for (const client of extraClients) client.disconnect();
      await target?.close();
    });

    function fresh(options: RedisSessionStoreOptions = {}, client: Redis | Cluster = target.client): { store: RedisSessionStore; log: SessionEventLog; prefix: string } {
      const prefix = `ev-${randomUUID().slice(0, 8)}:`;
      const store = new RedisSessionStore(client, { keyPrefix: prefix, sha256: nodeSha256, events: true, partitions: 4, ...options });
      return { store, log: store.events as SessionEventLog, prefix };
    }

    test('a store without events has no log and writes no stream', async () => {
      const prefix = `off-${randomUUID().slice(0, 8)}:`;
      const store = new RedisSessionStore(target.client, { keyPrefix: prefix, sha256: nodeSha256 });
      expect(store.events).toBeUndefined();
      const session = makeSession(T, { ttl: 100 });
      await store.create(session, T);
      await store.update(session.id, { data: { a: 1 }, slide: true, absoluteTimeout: FOREVER }, T + 1);
      await store.delete(session.id, T + 2);
      await store.create(makeSession(T, { ttl: 10 }), T);
      await store.create(makeSession(T + 50), T + 50);
      expect((await keysWithPrefix(target.client, prefix)).filter((key) => key.endsWith(':events'))).toEqual([]);
    });

    test('create, update, refresh and delete record their events; refused, conflicting and missing writes record none', async () => {
      const { store, log } = fresh();
      const start = await log.tail(T);
      const session = makeSession(T, { ttl: 1000, data: { secret: 'do-not-leak' } });
      const anonymous = makeSession(T, { userId: undefined, ttl: 1000 });
      expect(await store.create(session, T)).toBe('created');
      expect(await store.create(anonymous, T)).toBe('created');
      expect(await store.create({ ...session, version: 7 }, T + 1)).toBe('exists');
      // A replace (no cause: replace), a patch, a refresh that moves the deadline, one the absolute timeout holds.
      await store.update(session.id, { data: { a: 1 }, slide: false, absoluteTimeout: FOREVER }, T + 10);
      await store.update(session.id, { data: { a: 2 }, cause: 'patch', slide: false, absoluteTimeout: FOREVER }, T + 20);
      await store.update(session.id, { slide: true, absoluteTimeout: FOREVER }, T + 30);
      await store.update(session.id, { slide: true, absoluteTimeout: 1030 }, T + 40);
      // Throttled: nothing written, nothing recorded.
      expect((await store.update(session.id, { slide: true, absoluteTimeout: FOREVER, touchInterval: 100 }, T + 41))).toMatchObject({ version: 5 });
      expect(await store.update(session.id, { data: { a: 3 }, slide: false, absoluteTimeout: FOREVER, expectedVersion: 1 }, T + 50)).toBe('conflict');
      expect(await store.update(handleIn(), { data: {}, slide: false, absoluteTimeout: FOREVER }, T + 50)).toBe('missing');
      expect(await store.delete(session.id, T + 60, 1)).toBe('conflict');
      expect(await store.delete(session.id, T + 60)).toBe('deleted');
      expect(await store.delete(session.id, T + 61)).toBe('missing');
      await store.update(anonymous.id, { data: { b: 1 }, cause: 'replace', slide: true, absoluteTimeout: FOREVER }, T + 70);
      const { events } = await readAll(log, start, T + 100);
      const mine = bare(events.filter((e) => e.sessionId === session.id));
      expect(mine).toEqual([
        { type: 'session.created', time: T, sessionId: session.id, userId: 'alice', version: 1 },
        { type: 'session.updated', time: T + 10, sessionId: session.id, userId: 'alice', version: 2, reason: 'replace' },
        { type: 'session.updated', time: T + 20, sessionId: session.id, userId: 'alice', version: 3, reason: 'patch' },
        { type: 'session.refreshed', time: T + 30, sessionId: session.id, userId: 'alice', version: 4 },
        { type: 'session.deleted', time: T + 60, sessionId: session.id, userId: 'alice', version: 5, reason: 'logout' },
      ]);
      expect(bare(events.filter((e) => e.sessionId === anonymous.id))).toEqual([
        { type: 'session.created', time: T, sessionId: anonymous.id, version: 1 },
        { type: 'session.updated', time: T + 70, sessionId: anonymous.id, version: 2, reason: 'replace' },
      ]);
      expect(events).toHaveLength(7);
      expect(new Set(events.map((e) => e.id)).size).toBe(7);
      expect(JSON.stringify(events)).not.toContain('do-not-leak');
    });

    test('a cap eviction records session.deleted evicted with the create; deleteByUser logout-everywhere and logout-others', async () => {
      const { store, log } = fresh();
      const start = await log.tail(T);
      const sessions = Array.from({ length: 3 }, (_, i) => makeSession(T + i, { userId: 'carol', ttl: 10_000 }));
      for (const s of sessions) await store.create(s, T + sessions.indexOf(s));
      const newest = makeSession(T + 10, { userId: 'carol', ttl: 10_000 });
      expect(await store.create(newest, T + 10, { limit: { max: 3, policy: 'evict-oldest' } })).toEqual({ evicted: [sessions[0]?.id] });
      expect(await store.create(makeSession(T + 11, { userId: 'carol' }), T + 11, { limit: { max: 3, policy: 'reject' } })).toBe('refused');
      expect(await store.deleteByUser('carol', T + 20, newest.id)).toBe(2);
      expect(await store.deleteByUser('carol', T + 30)).toBe(1);
      expect(await store.deleteByUser('carol', T + 31)).toBe(0);
      const { events } = await readAll(log, start, T + 40);
      const s = sessions as [Session, Session, Session];
      const byTime = bare(events).sort((a, b) => a.time - b.time || a.sessionId.localeCompare(b.sessionId));
      const expected = [
        ...s.map((x, i) => ({ type: 'session.created', time: T + i, sessionId: x.id, userId: 'carol', version: 1 })),
        { type: 'session.deleted', time: T + 10, sessionId: s[0].id, userId: 'carol', version: 1, reason: 'evicted' },
        { type: 'session.created', time: T + 10, sessionId: newest.id, userId: 'carol', version: 1 },
        ...[s[1], s[2]].map((x) => ({ type: 'session.deleted', time: T + 20, sessionId: x.id, userId: 'carol', version: 1, reason: 'logout-others' })),
        { type: 'session.deleted', time: T + 30, sessionId: newest.id, userId: 'carol', version: 1, reason: 'logout-everywhere' },
      ].sort((a, b) => a.time - b.time || a.sessionId.localeCompare(b.sessionId));
      expect(byTime).toEqual(expected);
      // Within one create the eviction comes first, in the stream's own order.
      const ofCreate = events.filter((e) => e.time === T + 10).map((e) => e.type);
      expect(ofCreate).toEqual(['session.deleted', 'session.created']);
    });

    test('a rotation records session.rotated and the old handle’s session.deleted rotated with its grace, within and across partitions', async () => {
      const { store, log } = fresh({ partitions: 16 });
      const start = await log.tail(T);
      // Within the user's partition, and a login: an anonymous session into the user's home (another slot, mostly).
      const own = makeSession(T, { userId: 'dan', ttl: 10_000 });
      // The anonymous session in another partition than dan's: another slot in a cluster, so the rotation's three steps.
      let anonymous = makeSession(T, { userId: undefined, ttl: 10_000 });
      while (store.keys.tagOf(anonymous.id) === store.keys.tagOf(own.id)) anonymous = makeSession(T, { userId: undefined, ttl: 10_000 });
      await store.create(own, T);
      await store.create(anonymous, T);
      const partitionOf = (handle: string): number => store.keys.tags.indexOf(store.keys.tagOf(handle));
      const pairs: [Session, Session, number][] = [];
      const next1 = rotated(own, T + 5);
      expect(await store.rotate(own.id, next1, T + 5, { graceUntil: T + 1005 })).toMatchObject({ session: next1 });
      pairs.push([own, next1, T + 1005]);
      const next2 = rotated(anonymous, T + 6, 'dan');
      expect(await store.rotate(anonymous.id, next2, T + 6, { graceUntil: T + 6 })).toMatchObject({ session: next2 });
      pairs.push([anonymous, next2, T + 6]);
      // A conflicting and a missing rotation record nothing.
      expect(await store.rotate(own.id, rotated(own, T + 7), T + 7, { graceUntil: T + 7 })).toBe('missing');
      expect(await store.rotate(next1.id, { ...rotated(next1, T + 8), version: 9 }, T + 8, { graceUntil: T + 8 })).toBe('conflict');
      await store.update(next2.id, { data: { after: true }, slide: false, absoluteTimeout: FOREVER }, T + 9);
      const { events } = await readAll(log, start, T + 20);
      for (const [old, next, graceUntil] of pairs) {
        // One event of each handle, in two streams: in either order.
        const about = bare(events.filter((e) => e.sessionId === next.id || e.sessionId === old.id))
          .filter((e) => e.type === 'session.rotated' || e.reason === 'rotated')
          .sort((a, b) => a.type.localeCompare(b.type));
        expect(about).toEqual([
          {
            type: 'session.deleted',
            time: next.updatedAt,
            sessionId: old.id,
            ...(old.userId === undefined ? {} : { userId: old.userId }),
            version: 1,
            reason: 'rotated',
            graceUntil,
          },
          { type: 'session.rotated', time: next.updatedAt, sessionId: next.id, userId: 'dan', version: 2, previousId: old.id },
        ]);
      }
      // The new session's events, its rotation first, are in its own partition's stream; the old one's in the old's.
      expect(events.find((e) => e.type === 'session.rotated' && e.sessionId === next2.id)?.id.split('-')[0]).toBe(String(partitionOf(next2.id)));
      expect(events.find((e) => e.reason === 'rotated' && e.sessionId === anonymous.id)?.id.split('-')[0]).toBe(String(partitionOf(anonymous.id)));
      const types = events.filter((e) => e.sessionId === next2.id).map((e) => e.type);
      expect(types).toEqual(['session.rotated', 'session.updated']);
      expect(events.filter((e) => e.type === 'session.created')).toHaveLength(2);
      expect(events).toHaveLength(7);
    });

    test('every reclaiming records exactly one session.expired: a sweep, a create over the handle, a listing, a capped create', async () => {
      const { store, log } = fresh({ reclaimBudget: 0, expiryStepMs: 1 });
      const start = await log.tail(T);
      const swept = Array.from({ length: 5 }, () => makeSession(T, { ttl: 100 + Math.floor(Math.random() * 50) }));
      const overHandle = makeSession(T, { ttl: 100, userId: 'erin' });
      const listed = makeSession(T, { ttl: 100, userId: 'fay' });
      const capped = makeSession(T, { ttl: 100, userId: 'gus' });
      for (const s of [...swept, overHandle, listed, capped]) await store.create(s, T);
      const at = T + 500;
      // A create at the very handle of an expired session: its expiry, then the create.
      expect(await store.create({ ...overHandle, createdAt: at, updatedAt: at, lastActiveAt: at, expiresAt: at + 100 }, at)).toBe('created');
      expect((await store.listByUser('fay', { limit: 10 }, at)).sessions).toEqual([]);
      expect(await store.create(makeSession(at, { userId: 'gus' }), at, { limit: { max: 1, policy: 'reject' } })).toBe('created');
      // A sweep gets the rest, and only them; sweeping again finds nothing.
      expect(await log.sweepExpired(at, 100)).toBe(swept.length);
      expect(await log.sweepExpired(at, 100)).toBe(0);
      expect((await store.list({ limit: 100 }, at)).sessions).toHaveLength(2);
      const { events } = await readAll(log, start, at);
      const expired = events.filter((e) => e.type === 'session.expired');
      expect(bare(expired).sort((a, b) => a.sessionId.localeCompare(b.sessionId))).toEqual(
        [...swept, overHandle, listed, capped]
          .map((s) => ({ type: 'session.expired', time: s.expiresAt, recordedAt: at, sessionId: s.id, ...(s.userId === undefined ? {} : { userId: s.userId }), version: 1 }))
          .sort((a, b) => a.sessionId.localeCompare(b.sessionId)),
      );
      // Over the handle: the old session's expiry comes before the new one's creation.
      expect(events.filter((e) => e.sessionId === overHandle.id).map((e) => e.type)).toEqual(['session.created', 'session.expired', 'session.created']);
    });

    test('a sweep claims at most its budget, earliest deadline first, and a session only once its indexed deadline has passed', async () => {
      const { store, log } = fresh({ expiryStepMs: 1000 });
      const sessions = Array.from({ length: 7 }, (_, i) => makeSession(T, { ttl: 1000 + i * 10 }));
      for (const s of sessions) await store.create(s, T);
      // Deadlines T+1000..T+1060 are indexed at the next whole second, T+2000 (T ends in 123).
      const indexed = Math.ceil((T + 1000) / 1000) * 1000;
      expect(await log.sweepExpired(indexed - 1, 100)).toBe(0);
      expect(await store.get(sessions[0]?.id as string, indexed - 1)).toBeUndefined();
      expect(await log.sweepExpired(indexed, 3)).toBe(3);
      expect(await log.sweepExpired(indexed, 3)).toBe(3);
      expect(await log.sweepExpired(indexed, 3)).toBe(1);
      const { events } = await readAll(log, undefined, indexed);
      expect(events.filter((e) => e.type === 'session.expired').map((e) => [e.time, e.recordedAt])).toEqual(
        expect.arrayContaining(sessions.map((s) => [s.expiresAt, indexed])),
      );
      expect(events.filter((e) => e.type === 'session.expired')).toHaveLength(7);
    });

    test('a session refreshed past its indexed deadline is swept once, at its new deadline (the lazy index scores it again)', async () => {
      const { store, log } = fresh();
      const session = makeSession(T, { ttl: 100, userId: 'ike' });
      // The same user, so the same partition: the sweep meets the refreshed one first.
      const other = makeSession(T, { ttl: 150, userId: 'ike' });
      await store.create(session, T);
      await store.create(other, T);
      await store.update(session.id, { slide: true, absoluteTimeout: FOREVER }, T + 90);
      // Past both indexed deadlines: the refreshed one is met live (scored again, not counted), the
      // other claimed, so a budget of one is spent on what expired.
      expect(await log.sweepExpired(T + 150, 1)).toBe(1);
      expect(await log.sweepExpired(T + 189, 10)).toBe(0);
      expect((await store.get(session.id, T + 189))?.version).toBe(2);
      expect(await log.sweepExpired(T + 190, 10)).toBe(1);
      expect(await log.sweepExpired(T + 190, 10)).toBe(0);
      const expired = (await readAll(log, undefined, T + 190)).events.filter((e) => e.type === 'session.expired');
      expect(expired.map((e) => [e.sessionId, e.time, e.recordedAt])).toEqual([
        [other.id, T + 150, T + 150],
        [session.id, T + 190, T + 190],
      ]);
    });

    test('a session whose key Redis expired by itself still records its one session.expired from the index', async () => {
      const { store, log, prefix } = fresh({ expiryStepMs: 1 });
      const session = makeSession(T, { ttl: 100, userId: 'hal' });
      await store.create(session, T);
      // Native expiry, as if the PX grace had run out before any reclaiming: an expiry time in the past.
      const key = `${prefix}${store.keys.session(session.id).slice(prefix.length)}`;
      expect(await target.client.pexpireat(key, 1)).toBe(1);
      expect(await target.client.exists(key)).toBe(0);
      expect(await log.sweepExpired(T + 200, 10)).toBe(1);
      expect(await log.sweepExpired(T + 200, 10)).toBe(0);
      const expired = (await readAll(log, undefined, T + 200)).events.filter((e) => e.type === 'session.expired');
      // The index keeps the deadline (its score) and the user; the version went with the key.
      expect(bare(expired)).toEqual([{ type: 'session.expired', time: session.expiresAt, recordedAt: T + 200, sessionId: session.id, userId: 'hal', version: 0 }]);
    });

    test('cursors: pages across partitions yield every event once, in each session’s order; tail; foreign cursors are refused', async () => {
      const { store, log } = fresh({ partitions: 8 });
      const sessions = Array.from({ length: 40 }, (_, i) => makeSession(T, { userId: i % 3 === 0 ? undefined : `u${i % 7}`, ttl: 100_000 }));
      for (const [i, s] of sessions.entries()) {
        await store.create(s, T + 2 * i);
        await store.update(s.id, { data: { n: i }, slide: false, absoluteTimeout: FOREVER }, T + 2 * i + 1);
      }
      const firstPage = await log.read(undefined, 7, T + 200);
      expect(firstPage.events).toHaveLength(7);
      const { events: rest, cursor } = await readAll(log, firstPage.cursor, T + 200, 7);
      const all = [...firstPage.events, ...rest];
      expect(all).toHaveLength(80);
      expect(new Set(all.map((e) => e.id)).size).toBe(80);
      // Ordered by time across partitions here (one process, one clock), so each session's created before its update.
      expect(all.map((e) => e.time)).toEqual([...all.map((e) => e.time)].sort((a, b) => a - b));
      for (const s of sessions) expect(all.filter((e) => e.sessionId === s.id).map((e) => e.type)).toEqual(['session.created', 'session.updated']);
      // More than one partition holds events.
      expect(new Set(all.map((e) => e.id.split('-')[0])).size).toBeGreaterThan(1);
      // Nothing after the end; the tail is the end; a later event follows either.
      expect((await log.read(cursor, 10, T + 200)).events).toEqual([]);
      const tail = await log.tail(T + 200);
      const later = makeSession(T + 300);
      await store.create(later, T + 300);
      for (const after of [cursor, tail]) expect((await log.read(after, 10, T + 300)).events.map((e) => e.sessionId)).toEqual([later.id]);
      // Cursors of another shape, of a store with another partition count, a listing's: all refused.
      const other = fresh({ partitions: 4 });
      const foreign = [
        'nonsense',
        encodeEventCursor(['0-0']),
        await other.log.tail(T),
        encodeEventCursor(Array.from({ length: 8 }, () => 'x-0')),
        encodeEventCursor(Array.from({ length: 8 }, () => '01-0')),
        encodePageCursor(undefined, '0:'),
        (await store.list({ limit: 1 }, T + 300)).nextCursor as string,
      ];
      for (const bad of foreign) {
        const error = await log.read(bad, 10, T + 300).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).field).toBe('cursor');
      }
    });

    test('ids follow the stream even when a change comes with an earlier now (another process’s clock): its time is kept', async () => {
      const { store, log } = fresh({ partitions: 1 });
      const ahead = makeSession(T + 5000);
      const behind = makeSession(T);
      await store.create(ahead, T + 5000);
      await store.create(behind, T);
      await store.update(behind.id, { data: { x: 1 }, slide: false, absoluteTimeout: FOREVER }, T + 1);
      const { events } = await readAll(log, undefined, T + 5000);
      expect(events.map((e) => [e.sessionId, e.type, e.time])).toEqual([
        [ahead.id, 'session.created', T + 5000],
        [behind.id, 'session.created', T],
        [behind.id, 'session.updated', T + 1],
      ]);
    });

    test('retention: events older than it are trimmed as the stream grows (whole stream nodes), newer ones kept', async () => {
      const retentionMs = 10_000;
      const { store, log } = fresh({ partitions: 1, events: { retentionMs } });
      // More than two of Redis's stream nodes (100 entries each by default) of old events.
      for (let i = 0; i < 250; i++) await store.create(makeSession(T + i, { ttl: 1_000_000 }), T + i);
      const late = T + 250 + retentionMs;
      const fresher = makeSession(late, { ttl: 1_000_000 });
      await store.create(fresher, late);
      const { events } = await readAll(log, undefined, late);
      expect(events.at(-1)?.sessionId).toBe(fresher.id);
      // `MINID ~` drops only whole nodes older than the retention: the two full old nodes are gone.
      expect(events.length).toBeLessThanOrEqual(51);
      expect(events.every((e) => e.time >= T + 200)).toBe(true);
    });

    test('concurrent sweeps and reclaiming from several store instances record exactly one session.expired per session', async () => {
      const options: RedisSessionStoreOptions = { keyPrefix: `race-${randomUUID().slice(0, 8)}:`, sha256: nodeSha256, events: true, partitions: 4, expiryStepMs: 1 };
      const clients = Array.from({ length: 4 }, () => target.newClient());
      extraClients.push(...clients);
      await Promise.all(clients.map((client) => waitUntil(() => client.ping())));
      const stores = clients.map((client) => new RedisSessionStore(client, options));
      const writer = stores[0] as RedisSessionStore;
      const users = ['ivy', 'jon', 'kai', undefined];
      const sessions = Array.from({ length: 200 }, (_, i) => makeSession(T, { userId: users[i % 4], ttl: 10 + (i % 50) }));
      await Promise.all(sessions.map((s) => writer.create(s, T)));
      const at = T + 100;
      const claimed = await Promise.all([
        ...stores.map(async (store) => {
          let total = 0;
          for (;;) {
            const n = await (store.events as SessionEventLog).sweepExpired(at, 7);
            total += n;
            if (n < 7) return total;
          }
        }),
        // Other reclaiming at the same time: listings and creates of the same users.
        ...stores.map(async (store, i) => {
          await store.list({ limit: 50 }, at);
          await store.create(makeSession(at, { userId: users[i], ttl: 10_000 }), at);
          return 0;
        }),
      ]);
      const { events } = await readAll(writer.events as SessionEventLog, undefined, at);
      const expired = events.filter((e) => e.type === 'session.expired');
      const counts = new Map<string, number>();
      for (const e of expired) counts.set(e.sessionId, (counts.get(e.sessionId) ?? 0) + 1);
      expect(counts.size).toBe(sessions.length);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(claimed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(sessions.length);
      expect(await writer.events?.sweepExpired(at, 1000)).toBe(0);
      expect((await writer.list({ limit: 1000 }, at)).sessions).toHaveLength(4);
    }, 60_000);

    // Only a cluster splits a rotation into three steps (standalone Redis runs one script).
    if (kind === 'cluster') {
      test('a login across slots that crashed after its forwarder records session.rotated once, when a reader confirms it', async () => {
        const { store, log } = fresh({ partitions: 16 });
        let old = makeSession(T, { userId: undefined, ttl: 5000 });
        const next0 = handleIn(homeOfUser('ona'));
        while (store.keys.tagOf(old.id) === store.keys.tagOf(next0)) old = makeSession(T, { userId: undefined, ttl: 5000 });
        await store.create(old, T);
        const next = { ...rotatedSession(old, next0, 'ona', { slide: true, absoluteTimeout: FOREVER }, T + 1) };
        // The states steps (1) and (2) leave, written by hand (their own events are not what is looked at).
        expect(await store.create(next, T + 1)).toBe('created');
        const start = await log.tail(T + 1);
        await target.client.set(store.keys.session(next.id), encodeHeader(next, pendingAlias(old.id, T + 11)) + JSON.stringify(next.data));
        await target.client.set(store.keys.session(old.id), forwarderValue(next.id, T + 11));
        // Read later: the rotation is finished then, its event at the rotation's time.
        expect(await store.get(next.id, T + 500)).toEqual(next);
        expect(await store.get(next.id, T + 501)).toEqual(next);
        const { events } = await readAll(log, start, T + 501);
        expect(bare(events)).toEqual([{ type: 'session.rotated', time: T + 1, sessionId: next.id, userId: 'ona', version: 2, previousId: old.id }]);
      });
    }

    test('consumer leases: one owner at a time, its saved cursor handed over when its lease runs out', async () => {
      const { store, log } = fresh();
      await store.create(makeSession(T), T);
      const cursor = (await log.read(undefined, 10, T)).cursor;
      expect(await log.claimConsumer('hook', 'a', T, 1000)).toEqual({ cursor: undefined });
      expect(await log.claimConsumer('hook', 'b', T + 10, 1000)).toBe('taken');
      expect(await log.claimConsumer('other', 'b', T + 10, 1000)).toEqual({ cursor: undefined });
      expect(await log.saveConsumer('hook', 'a', cursor, T + 500, 1000)).toBe(true);
      // Renewed to T + 1500 by the save: still a's at T + 1400.
      expect(await log.claimConsumer('hook', 'b', T + 1400, 1000)).toBe('taken');
      expect(await log.saveConsumer('hook', 'b', cursor, T + 1400, 1000)).toBe(false);
      expect(await log.claimConsumer('hook', 'a', T + 1400, 1000)).toEqual({ cursor });
      // a goes quiet; at the end of its lease b takes over with a's cursor, and a's save is refused.
      expect(await log.claimConsumer('hook', 'b', T + 2400, 1000)).toEqual({ cursor });
      expect(await log.saveConsumer('hook', 'a', cursor, T + 2401, 1000)).toBe(false);
      expect(await log.saveConsumer('hook', 'b', cursor, T + 2401, 1000)).toBe(true);
      await expect(log.saveConsumer('hook', 'b', 'not-a-cursor', T + 2402, 1000)).rejects.toBeInstanceOf(InvalidInputError);
      // Two owners claiming at once: exactly one wins.
      const race = await Promise.all(['c', 'd', 'e'].map((owner) => log.claimConsumer('fresh', owner, T, 1000)));
      expect(race.filter((r) => r !== 'taken')).toHaveLength(1);
    });
  });
}

describeEvents('standalone');
describeEvents('cluster');

describe('Redis event log across a restart (AOF, fsync always)', () => {
  test('events and consumer cursors survive the server being killed and restarted on its directory', async () => {
    const server = await startRedisServer({ appendOnly: true });
    let client = createRedisClient({ url: server.url });
    try {
      const options: RedisSessionStoreOptions = { keyPrefix: 'aof:', sha256: nodeSha256, events: true, partitions: 4 };
      let store = new RedisSessionStore(client, options);
      await waitUntil(() => store.ping());
      const sessions = Array.from({ length: 12 }, (_, i) => makeSession(T + i, { userId: i % 2 === 0 ? 'lee' : undefined }));
      for (const s of sessions) await store.create(s, s.createdAt);
      await store.deleteByUser('lee', T + 50);
      const before = await readAll(store.events as SessionEventLog, undefined, T + 60);
      expect(before.events).toHaveLength(18);
      const half = await (store.events as SessionEventLog).read(undefined, 9, T + 60);
      expect(await store.events?.claimConsumer('hook', 'p1', T + 60, 60_000)).toEqual({ cursor: undefined });
      expect(await store.events?.saveConsumer('hook', 'p1', half.cursor, T + 61, 60_000)).toBe(true);
      client.disconnect();
      // SIGKILL: no SHUTDOWN save; only what the append-only file holds comes back.
      await server.halt('SIGKILL');
      await server.restart();
      client = createRedisClient({ url: server.url });
      store = new RedisSessionStore(client, options);
      await waitUntil(() => store.ping());
      const after = await readAll(store.events as SessionEventLog, undefined, T + 70);
      expect(after.events).toEqual(before.events);
      expect(await store.events?.claimConsumer('hook', 'p1', T + 70, 60_000)).toEqual({ cursor: half.cursor });
      expect((await store.events?.read(half.cursor, 100, T + 70))?.events).toEqual(before.events.slice(9));
      // The log goes on after the restart.
      const later = makeSession(T + 80);
      await store.create(later, T + 80);
      expect((await store.events?.read(after.cursor, 10, T + 80))?.events.map((e) => e.sessionId)).toEqual([later.id]);
    } finally {
      client.disconnect();
      await server.stop();
    }
  }, 60_000);
});
