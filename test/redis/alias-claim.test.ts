import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { encodeHeader } from '../../adapters/redis/stored-session.js';
import { homeOf, ownHandleOf, type Session } from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';
import { startCountedRedis, type CountedRedis } from '../support/counted-redis.js';
import { homeOfUser, makeSession } from '../support/session-fixtures.js';

// A create with an alias on standalone Redis is one script that claims the alias, then creates
// (createClaimed). When the claim claims nothing, the script leaves nothing written and the store follows
// the claim's answer up as a claim alone: these are those answers, one by one, with what each
// leaves in Redis and how many commands it costs.
let redis: CountedRedis;
let client: Redis | Cluster;
const T = 1_000_000;
let run = 0;

beforeAll(async () => {
  redis = await startCountedRedis();
  client = redis.client;
});

afterAll(() => redis?.stop());

/** A store of its own prefix, its scripts loaded (a script's first call is an EVAL, then EVALSHA). */
async function freshStore(): Promise<RedisSessionStore> {
  const store = new RedisSessionStore(client, { keyPrefix: `ac${++run}:`, sha256: nodeSha256 });
  const warm = makeSession(T);
  await store.create(warm, T, { alias: ownHandleOf(warm.id) });
  await store.delete(warm.id, T, undefined, { alias: ownHandleOf(warm.id) });
  return store;
}

const commands = (action: () => Promise<unknown>): Promise<string[]> => redis.commands(action);

/** The same caller token's session for another user: the same digest, so the same alias, in another home. */
function sameTokenFor(session: Session, userId: string, now: number): Session {
  return { ...makeSession(now, { userId }), id: `${homeOfUser(userId)}${session.id.slice(homeOf(session.id).length)}` };
}

test('the alias held by a live session of another handle: refused, the alias and that session untouched, nothing written', async () => {
  const store = await freshStore();
  const alices = makeSession(T);
  const alias = ownHandleOf(alices.id);
  expect(await store.create(alices, T, { alias })).toBe('created');
  const bobs = sameTokenFor(alices, 'bob', T);
  expect(ownHandleOf(bobs.id)).toBe(alias);
  // The script, then a GET of the session the alias names (live: it stays taken).
  expect(await commands(async () => expect(await store.create(bobs, T, { alias })).toBe('exists'))).toEqual(['evalsha', 'get']);
  expect(await client.get(store.keys.session(alias))).toBe(`>${alices.id}`);
  expect(await client.exists(store.keys.session(bobs.id))).toBe(0);
  expect(await store.resolve(alias, T)).toEqual(alices);
  expect(await store.listByUser('bob', { limit: 10 }, T)).toEqual({ sessions: [], nextCursor: null });
});

test('the alias of an expired session of another handle: taken over, that session removed, then the create', async () => {
  const store = await freshStore();
  const old = makeSession(T);
  const alias = ownHandleOf(old.id);
  expect(await store.create(old, T, { alias })).toBe('created');
  const later = T + 5_000;
  const bobs = sameTokenFor(old, 'bob', later);
  expect(await store.create(bobs, later, { alias })).toBe('created');
  expect(await client.get(store.keys.session(alias))).toBe(`>${bobs.id}`);
  expect(await client.exists(store.keys.session(old.id))).toBe(0);
  expect(await store.resolve(alias, later)).toEqual(bobs);
  expect((await store.listByUser('alice', { limit: 10 }, later)).sessions).toEqual([]);
});

test("the handle holding an alias of an expired session: that session removed, the create made, the alias the new session's", async () => {
  const store = await freshStore();
  // A session whose alias is the new session's handle: its handle elsewhere, its alias at ours.
  const later = T + 5_000;
  const fresh = makeSession(later);
  const alias = ownHandleOf(fresh.id);
  const squatter = makeSession(T);
  expect(await store.create(squatter, T)).toBe('created');
  // As a create with that alias leaves them (the stored value, its alias field naming our handle).
  await client.set(store.keys.session(fresh.id), `>${squatter.id}`);
  await client.set(store.keys.session(squatter.id), encodeHeader(squatter, fresh.id) + JSON.stringify(squatter.data));
  expect(await store.create(fresh, later, { alias })).toBe('created');
  expect(await store.get(fresh.id, later)).toEqual(fresh);
  expect(await client.get(store.keys.session(alias))).toBe(`>${fresh.id}`);
  expect(await client.exists(store.keys.session(squatter.id))).toBe(0);
});

test('a create refused by the cap leaves no alias behind; one within it evicts as ever, in the one script', async () => {
  const store = await freshStore();
  const first = makeSession(T, { userId: 'carol' });
  expect(await store.create(first, T)).toBe('created');
  const second = makeSession(T + 1, { userId: 'carol' });
  const alias = ownHandleOf(second.id);
  expect(await store.create(second, T + 1, { alias, limit: { max: 1, policy: 'reject' } })).toBe('refused');
  expect(await client.exists(store.keys.session(alias), store.keys.session(second.id))).toBe(0);
  const calls = await commands(async () =>
    expect(await store.create(second, T + 1, { alias, limit: { max: 1, policy: 'evict-oldest' } })).toEqual({ evicted: [first.id] }),
  );
  expect(calls).toEqual(['evalsha']);
  expect(await store.resolve(alias, T + 1)).toEqual(second);
  expect(await store.get(first.id, T + 1)).toBeUndefined();
});

/** The commands scripts ran inside Redis while `action` ran, by name, from INFO commandstats (the readings' own left out). */
async function innerCommands(action: () => Promise<unknown>): Promise<Record<string, number>> {
  await client.call('CONFIG', 'RESETSTAT');
  await action();
  const stats = (await client.info('commandstats')) as string;
  const calls: Record<string, number> = {};
  for (const [, name, count] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (!/^(config|info|evalsha|eval|client)/.test(name as string)) calls[name as string] = Number(count);
  }
  return calls;
}

test('both keys free and no cap (a framework\'s first save): the session and its alias each by SET NX, five commands in the script, no look first', async () => {
  const store = await freshStore();
  const session = makeSession(T);
  const alias = ownHandleOf(session.id);
  expect(await innerCommands(async () => expect(await store.create(session, T, { alias })).toBe('created'))).toEqual({ set: 2, zcount: 1, zadd: 2 });
  expect(await client.get(store.keys.session(alias))).toBe(`>${session.id}`);
  expect(await store.resolve(alias, T)).toEqual(session);
  // The alias free but the handle taken (the same session again): the first SET NX finds it, and the claim decides.
  expect(await store.create(session, T, { alias })).toBe('exists');
  // The handle free but the alias taken (another handle's live session holds it): the session written first is deleted again.
  const bobs = sameTokenFor(session, 'bob', T);
  expect(await store.create(bobs, T, { alias })).toBe('exists');
  expect(await client.exists(store.keys.session(bobs.id))).toBe(0);
  expect(await client.get(store.keys.session(alias))).toBe(`>${session.id}`);
});

test('something due in the partition: it is reclaimed before the writes, so an entry of an earlier session at the same handle whose key is gone records that expiry rather than being taken for the new session', async () => {
  const store = new RedisSessionStore(client, { keyPrefix: `ac${++run}:`, sha256: nodeSha256, events: true });
  const log = store.events!;
  const earlier = makeSession(T, { ttl: 1000 });
  const alias = ownHandleOf(earlier.id);
  expect(await store.create(earlier, T, { alias })).toBe('created');
  // Both keys gone as an eviction (maxmemory) takes them: the index entries stay, due at T + 1000.
  await client.del(store.keys.session(earlier.id), store.keys.session(alias));
  const later = T + 5_000;
  const start = await log.tail(later);
  const again: Session = { ...makeSession(later), id: earlier.id };
  const inner = await innerCommands(async () => expect(await store.create(again, later, { alias })).toBe('created'));
  // The claim and the create, nothing written first: the claim's two GETs (the handle, the alias),
  // one ZCOUNT (the reclaiming does not count again) and the reclaiming's GET of the entry's key.
  expect(inner).toMatchObject({ get: 3, zcount: 1, set: 2 });
  expect(inner.del).toBeUndefined();
  const page = await log.read(start, 10, later);
  expect(page.events.map(({ type, sessionId, time }) => ({ type, sessionId, time }))).toEqual([
    { type: 'session.expired', sessionId: earlier.id, time: earlier.expiresAt },
    { type: 'session.created', sessionId: earlier.id, time: later },
  ]);
  expect(await store.resolve(alias, later)).toEqual(again);
  expect((await store.listByUser('alice', { limit: 10 }, later)).sessions).toEqual([again]);
});

test('with no reclaiming at all (reclaimBudget 0) nothing is counted: the two SET NX come first even with something due', async () => {
  const store = new RedisSessionStore(client, { keyPrefix: `ac${++run}:`, sha256: nodeSha256, reclaimBudget: 0 });
  const earlier = makeSession(T, { ttl: 1000 });
  expect(await store.create(earlier, T)).toBe('created');
  const later = T + 5_000;
  const session = makeSession(later);
  const alias = ownHandleOf(session.id);
  // The earlier session is due in the same partition (alice's home), and stays so: nothing reclaims it.
  const due = () => client.zcount(store.keys.expiry(store.keys.tagOf(earlier.id)), '-inf', later);
  expect(await due()).toBe(1);
  expect(await innerCommands(async () => expect(await store.create(session, later, { alias })).toBe('created'))).toEqual({ set: 2, zadd: 2 });
  expect(await due()).toBe(1);
  expect(await store.resolve(alias, later)).toEqual(session);
});

test('under a cap, with something due, the create counts and reclaims as ever (the claim first): the evicted session at the same handle records its expiry', async () => {
  const store = new RedisSessionStore(client, { keyPrefix: `ac${++run}:`, sha256: nodeSha256, events: true });
  const log = store.events!;
  const earlier = makeSession(T, { ttl: 1000 });
  const alias = ownHandleOf(earlier.id);
  expect(await store.create(earlier, T, { alias })).toBe('created');
  await client.del(store.keys.session(earlier.id), store.keys.session(alias));
  const later = T + 5_000;
  const start = await log.tail(later);
  const again: Session = { ...makeSession(later), id: earlier.id };
  const limit = { max: 5, policy: 'evict-oldest' } as const;
  const inner = await innerCommands(async () => expect(await store.create(again, later, { alias, limit })).toBe('created'));
  // The claim's two GETs, the reclaiming's own count and its GET of the entry's key, the cap's look
  // at the handle and its count of the user's range; nothing undone.
  expect(inner).toMatchObject({ get: 4, zcount: 1, zlexcount: 1, set: 2 });
  expect(inner.del).toBeUndefined();
  const page = await log.read(start, 10, later);
  expect(page.events.map(({ type, sessionId }) => ({ type, sessionId }))).toEqual([
    { type: 'session.expired', sessionId: earlier.id },
    { type: 'session.created', sessionId: earlier.id },
  ]);
  expect(await store.resolve(alias, later)).toEqual(again);
});
