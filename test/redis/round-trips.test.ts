import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { ownHandleOf } from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';
import { startCountedRedis, type CountedRedis } from '../support/counted-redis.js';
import { handleIn, makeSession } from '../support/session-fixtures.js';

// Round trips counted at the server with MONITOR: commands a script runs inside Redis do not
// count, every command a client sends does.
let redis: CountedRedis;
let client: Redis | Cluster;
const T = 1_000_000;

beforeAll(async () => {
  redis = await startCountedRedis();
  client = redis.client;
});

afterAll(() => redis?.stop());

const names = (action: () => Promise<unknown>): Promise<string[]> => redis.commands(action);

test('every single-session call is one command, a caller token with a user included (its delete when told the alias)', async () => {
  const store = new RedisSessionStore(client, { keyPrefix: 'rt:', sha256: nodeSha256 });
  // ioredis sends a script's first call on a connection as EVAL (loading it), later ones as
  // EVALSHA; both are one command. Warm them up so that the counts below are the steady state.
  const warm = makeSession(T);
  await store.create(warm, T);
  await store.update(warm.id, { slide: true, absoluteTimeout: 1e9 }, T);
  await store.delete(warm.id, T);

  const session = makeSession(T);
  const replace = { data: { n: 2 }, slide: true, absoluteTimeout: 1e9 };
  expect(await names(() => store.create(session, T))).toEqual(['evalsha']);
  expect(await names(() => store.get(session.id, T))).toEqual(['get']);
  expect(await names(() => store.resolve(session.id, T))).toEqual(['get']);
  expect(await names(() => store.update(session.id, replace, T))).toEqual(['evalsha']);
  expect(await names(() => store.update(session.id, { ...replace, expectedVersion: 2 }, T))).toEqual(['evalsha']);
  expect(await names(() => store.update(session.id, { slide: true, absoluteTimeout: 1e9 }, T))).toEqual(['evalsha']);
  // Refused calls cost the same single call.
  expect(await names(() => store.update(session.id, { ...replace, expectedVersion: 1 }, T))).toEqual(['evalsha']);
  expect(await names(() => store.create(session, T))).toEqual(['evalsha']);
  expect(await names(() => store.delete(session.id, T, 1))).toEqual(['evalsha']);
  expect(await names(() => store.delete(session.id, T))).toEqual(['evalsha']);
  expect(await names(() => store.ping())).toEqual(['ping']);

  // A caller's token with a user: its alias (the token's own handle, as the core places it) is
  // written first and removed after, in its own slot. Standalone, a script may touch both keys.
  const aliased = makeSession(T);
  const alias = ownHandleOf(aliased.id);
  // Once before counting, so the alias scripts are loaded (a script's first call is an EVAL).
  const warmAliased = makeSession(T);
  await store.create(warmAliased, T, { alias: ownHandleOf(warmAliased.id) });
  await store.resolve(ownHandleOf(warmAliased.id), T);
  await store.delete(warmAliased.id, T, undefined, { alias: ownHandleOf(warmAliased.id) });
  await store.create(warmAliased, T, { alias: ownHandleOf(warmAliased.id) });
  await store.delete(warmAliased.id, T);
  // The claim and the create in one script; the claim checks the handle first: a taken handle
  // never holds the alias, even for a moment (a racing create would lose it).
  expect(await names(() => store.create(aliased, T, { alias }))).toEqual(['evalsha']);
  expect(await client.get(store.keys.session(alias))).toBe(`>${aliased.id}`);
  // Its handle taken (the same session again): the claim claims nothing, so that one script
  // writes nothing, and the alias stays the live session's (test/redis/alias-claim.test.ts has
  // the other answers of the claim).
  expect(await names(() => store.create(aliased, T, { alias }))).toEqual(['evalsha']);
  expect(await store.create({ ...aliased, data: { other: true } }, T, { alias })).toBe('exists');
  expect(await store.resolve(alias, T)).toEqual(aliased);
  // The alias and its session in one script.
  expect(await names(() => store.resolve(alias, T))).toEqual(['evalsha']);
  // The alias goes in the delete's own script when the caller names it (the bridge does: it
  // holds the sid), once the session is deleted.
  expect(await names(() => store.delete(aliased.id, T, undefined, { alias }))).toEqual(['evalsha']);
  expect(await client.exists(store.keys.session(alias), store.keys.session(aliased.id))).toBe(0);
  // A create in flight has claimed its alias but not written its session yet: a delete told
  // that alias finds no session and leaves the alias to the create.
  await client.set(store.keys.session(alias), `>${aliased.id}`);
  expect(await store.delete(aliased.id, T, undefined, { alias })).toBe('missing');
  expect(await client.get(store.keys.session(alias))).toBe(`>${aliased.id}`);
  // And a second create of that token then is refused, leaving the alias to the first: the
  // claim claims nothing, so the script writes nothing.
  expect(await store.create({ ...aliased, data: { second: true } }, T, { alias })).toBe('exists');
  expect(await client.get(store.keys.session(alias))).toBe(`>${aliased.id}`);
  expect(await client.exists(store.keys.session(aliased.id))).toBe(0);
  await client.del(store.keys.session(alias));
  // Unnamed, or named wrong: the alias the delete answers goes after it, and no other.
  const other = makeSession(T);
  const otherAlias = ownHandleOf(other.id);
  await store.create(aliased, T, { alias });
  await store.create(other, T, { alias: otherAlias });
  expect(await names(() => store.delete(aliased.id, T, undefined, { alias: otherAlias }))).toEqual(['evalsha', 'evalsha']);
  expect(await client.exists(store.keys.session(alias), store.keys.session(aliased.id))).toBe(0);
  expect((await store.resolve(otherAlias, T))?.id).toBe(other.id);
  expect(await names(() => store.delete(other.id, T))).toEqual(['evalsha', 'evalsha']);
  expect(await client.exists(store.keys.session(otherAlias), store.keys.session(other.id))).toBe(0);
  // A handle that is no caller token's own (an issued token's) is a plain GET.
  expect(await names(() => store.resolve(aliased.id, T))).toEqual(['get']);
});

test('a page is two calls per partition it reaches; a user\'s page two; deleteByUser one per batch', async () => {
  const partitions = 8;
  const store = new RedisSessionStore(client, { keyPrefix: 'rt-list:', partitions, deleteBatch: 50, sha256: nodeSha256 });
  for (let i = 0; i < 300; i++) await store.create(makeSession(T, { userId: i % 2 ? 'ann' : `u${i}`, ttl: i % 3 ? 10_000 : 100 }), T);
  await store.deleteByUser('nobody', T); // warms the script up
  // Index members, then their values in one MGET (same slot); filtered in the client.
  expect(await names(() => store.list({ limit: 1 }, T))).toEqual(['zrangebylex', 'mget']);
  // All 300 in one page: every partition once.
  expect(await names(() => store.list({ limit: 1000 }, T))).toEqual(Array(partitions).fill(['zrangebylex', 'mget']).flat());
  expect(await names(() => store.listByUser('ann', { limit: 10 }, T))).toEqual(['zrangebylex', 'mget']);
  // Expired entries met on the way are reclaimed by scripts of at most deleteBatch (50) each,
  // where they were met: one per partition, and one more per 50 of them (100 expired in all, 50
  // of them ann's, in one partition).
  const later = T + 100;
  const first = await names(() => store.list({ limit: 1000 }, later));
  expect(first.filter((n) => n === 'zrangebylex')).toHaveLength(partitions);
  expect(first.filter((n) => n === 'evalsha' || n === 'eval').length).toBeGreaterThanOrEqual(100 / 50);
  expect(first.filter((n) => n === 'evalsha' || n === 'eval').length).toBeLessThanOrEqual(partitions + 100 / 50);
  // Reclaimed: the next page reads them no more.
  expect(await names(() => store.list({ limit: 1000 }, later))).toEqual(Array(partitions).fill(['zrangebylex', 'mget']).flat());
  // 100 sessions of ann left (the listing reclaimed the rest), in batches of 50: two, the second
  // seeing that nothing follows.
  expect(await names(() => store.deleteByUser('ann', later))).toEqual(Array(2).fill('evalsha'));
});
