import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { RedisSessionStore, type RedisSessionStoreOptions } from '../../adapters/redis/index.js';
import { defaultScriptTuning, sessionScripts } from '../../adapters/redis/session-scripts.js';
import type { Session } from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';
import { allPages, idsOf } from '../support/all-pages.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { makeSession } from '../support/session-fixtures.js';
import { waitUntil } from '../support/wait-until.js';

// Issue 13: no script runs long, whatever one call has to do. Each call that removes many
// sessions runs them in scripts of at most `deleteBatch`: counted here inside Redis (SLOWLOG logs
// every script with its arguments, INFO commandstats every command), never by wall time.
let server: RedisServer;
let client: Redis;
const T = 1_000_000;
const BATCH = 32;
/** One partition, so that every session is in the one index a call walks. */
const options: RedisSessionStoreOptions = { partitions: 1, deleteBatch: BATCH, countBatch: 2 * BATCH, scanSlack: 64, reclaimBudget: 4, sha256: nodeSha256 };

beforeAll(async () => {
  server = await startRedisServer();
  client = createRedisClient({ url: server.url, commandTimeoutMs: 30_000 }) as Redis;
  await waitUntil(() => client.ping());
});

afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

async function fill(store: RedisSessionStore, sessions: readonly Session[], now: number): Promise<void> {
  for (let i = 0; i < sessions.length; i += 1000) {
    const outcomes = await Promise.all(sessions.slice(i, i + 1000).map((s) => store.create(s, now)));
    expect(outcomes.every((o) => o === 'created')).toBe(true);
  }
}

/** A SLOWLOG entry's command and arguments (Redis keeps 32, the last saying how many more there were). */
type Args = string[];

/** How many arguments the command had, its SHA's included. */
function argumentCount(args: Args): number {
  const more = /^\.\.\. \((\d+) more arguments\)$/.exec(args.at(-1) ?? '');
  return more ? args.length - 1 + Number(more[1]) : args.length;
}

/** Every script `action` ran (their arguments, in order) and the calls per command, scripts' own included. */
async function scriptsOf(action: () => Promise<unknown>): Promise<{ scripts: Args[]; calls: Map<string, number> }> {
  await client.config('SET', 'slowlog-max-len', '100000');
  await client.config('SET', 'slowlog-log-slower-than', '0');
  await client.slowlog('RESET');
  await client.config('RESETSTAT');
  await action();
  await client.config('SET', 'slowlog-log-slower-than', '10000');
  const entries = (await client.slowlog('GET', 100_000)) as [number, number, number, Args][];
  const scripts = entries
    .map(([, , , args]) => args)
    .filter((args) => /^eval/i.test(args[0] ?? ''))
    .reverse();
  const calls = new Map<string, number>();
  for (const line of (await client.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([a-z|]+):calls=(\d+)/.exec(line);
    if (match) calls.set(match[1] as string, Number(match[2]));
  }
  expect(entries.length).toBeLessThan(100_000);
  return { scripts, calls };
}

const sha1 = (lua: string): string => createHash('sha1').update(lua).digest('hex');

test('a listing over an expired backlog of 3,000 reclaims what it meets in scripts of at most deleteBatch entries', async () => {
  const store = new RedisSessionStore(client, { ...options, keyPrefix: 'batch-list:' });
  const expiring = Array.from({ length: 3000 }, (_, i) => makeSession(T, { userId: `u${i}`, ttl: 1000 }));
  const live = Array.from({ length: 10 }, (_, i) => makeSession(T, { userId: `live${i}`, ttl: 1_000_000 }));
  await fill(store, [...expiring, ...live], T);
  const later = T + 10_000;
  // A listing that meets one dead entry first: a script's first call on a connection is an EVAL
  // (its text), every later one an EVALSHA naming it.
  const warm = new RedisSessionStore(client, { ...options, keyPrefix: 'batch-warm:' });
  await fill(warm, [makeSession(T, { userId: 'warm', ttl: 1000 })], T);
  await warm.list({ limit: 10 }, later);
  const reclaim = sha1(sessionScripts(undefined, defaultScriptTuning(false)).sessionApiReclaim.lua);
  let pages: Awaited<ReturnType<typeof store.list>>[] = [];
  const { scripts } = await scriptsOf(async () => (pages = await allPages((cursor) => store.list({ limit: 1000, cursor }, later))));
  expect(idsOf(pages).sort()).toEqual(live.map((s) => s.id).sort());
  expect(scripts.every((args) => args[1] === reclaim)).toBe(true);
  // EVALSHA sha numkeys ids tag now budget, then the dead members it was handed.
  const handed = scripts.map((args) => argumentCount(args) - 7);
  expect(Math.max(...handed)).toBeLessThanOrEqual(BATCH);
  expect(handed.reduce((sum, n) => sum + n, 0)).toBe(expiring.length);
  expect(scripts.length).toBeGreaterThanOrEqual(Math.ceil(expiring.length / BATCH));
  // Nothing of the backlog is left: every entry went, in one of those scripts.
  const [tag] = store.keys.tags as [string];
  expect(await client.zcard(store.keys.ids(tag))).toBe(live.length);
  expect(await client.zcard(store.keys.expiry(tag))).toBe(live.length);
}, 120_000);

test('log out other devices for a user with 3,000 sessions: one script per deleteBatch, every session but the kept one gone', async () => {
  const store = new RedisSessionStore(client, { ...options, keyPrefix: 'batch-user:' });
  const heavy = Array.from({ length: 3000 }, () => makeSession(T, { userId: 'heavy', ttl: 60_000 }));
  const others = Array.from({ length: 20 }, (_, i) => makeSession(T, { userId: `other${i}`, ttl: 60_000 }));
  await fill(store, [...heavy, ...others], T);
  const kept = heavy[1234] as Session;
  let counted = 0;
  const counting = await scriptsOf(async () => (counted = await store.countByUser('heavy', T)));
  expect(counted).toBe(heavy.length);
  expect(counting.scripts.length).toBe(Math.ceil(heavy.length / (2 * BATCH)));
  let deleted = 0;
  const { scripts, calls } = await scriptsOf(async () => (deleted = await store.deleteByUser('heavy', T, kept.id)));
  expect(deleted).toBe(heavy.length - 1);
  expect(scripts.length).toBe(Math.ceil((heavy.length - 1) / BATCH));
  expect(calls.get('del')).toBe(heavy.length - 1);
  expect((await store.listByUser('heavy', { limit: 100 }, T)).sessions.map((s) => s.id)).toEqual([kept.id]);
  expect(await store.countByUser('heavy', T)).toBe(1);
  for (const other of others) expect((await store.get(other.id, T))?.id).toBe(other.id);
}, 120_000);

test('a sweep claims its budget in scripts of at most deleteBatch, each expired session once', async () => {
  const store = new RedisSessionStore(client, { ...options, keyPrefix: 'batch-sweep:', events: true });
  const log = store.events;
  if (!log) throw new Error('no event log');
  const expiring = Array.from({ length: 200 }, (_, i) => makeSession(T, { userId: `s${i}`, ttl: 1000 }));
  await fill(store, expiring, T);
  const later = T + 10_000;
  let claimed = 0;
  const first = await scriptsOf(async () => (claimed = await log.sweepExpired(later, 50)));
  expect(claimed).toBe(50);
  expect(first.scripts.length).toBe(2); // 32, then the 18 left of the budget
  const rest = await scriptsOf(async () => (claimed = await log.sweepExpired(later, 1000)));
  expect(claimed).toBe(150);
  expect(rest.scripts.length).toBe(Math.ceil(150 / BATCH)); // the last found fewer than it asked: done
  expect(await log.sweepExpired(later, 1000)).toBe(0);
  const events = (await log.read(undefined, 1000, later)).events.filter((e) => e.type === 'session.expired');
  expect(events.map((e) => e.sessionId).sort()).toEqual(expiring.map((s) => s.id).sort());
}, 120_000);

test('a capped create of a user under the cap reads none of their sessions; at the cap it evicts the oldest', async () => {
  const store = new RedisSessionStore(client, { ...options, keyPrefix: 'batch-cap:' });
  const held = Array.from({ length: 100 }, (_, i) => makeSession(T + i, { userId: 'capped', ttl: 60_000 }));
  await fill(store, held, T + 100);
  const now = T + 200;
  const limit = { max: 101, policy: 'evict-oldest' } as const;
  let outcome: Awaited<ReturnType<typeof store.create>> | undefined;
  const under = await scriptsOf(async () => (outcome = await store.create(makeSession(now, { userId: 'capped', ttl: 60_000 }), now, { limit })));
  expect(outcome).toBe('created');
  // The create's own key only: 100 + 1 fits 101, and the user's index entries say so already.
  expect(under.calls.get('get')).toBe(1);
  const at = await scriptsOf(async () => (outcome = await store.create(makeSession(now, { userId: 'capped', ttl: 60_000 }), now, { limit })));
  expect(outcome).toEqual({ evicted: [(held[0] as Session).id] });
  expect(at.calls.get('get')).toBeGreaterThan(held.length);
  expect(await store.countByUser('capped', now)).toBe(101);
}, 120_000);

test('batch sizes and the settings written into the scripts are whole numbers: 0 batches (an endless loop) or NaN (broken Lua) are refused', () => {
  const bad: readonly (readonly [keyof RedisSessionStoreOptions, number])[] = [
    ['deleteBatch', 0],
    ['countBatch', 0],
    ['expiryStepMs', 0],
    ['expiryGraceMs', Number.NaN],
    ['reclaimBudget', 1.5],
    ['scanSlack', -1],
    ['deleteBatch', Number.POSITIVE_INFINITY],
  ];
  for (const [name, value] of bad) {
    expect(() => new RedisSessionStore(client, { [name]: value }), `${name} ${value}`).toThrow(expect.objectContaining({ name: 'InvalidInputError', field: name }));
  }
  expect(() => new RedisSessionStore(client, { deleteBatch: 1, countBatch: 1, expiryStepMs: 1, expiryGraceMs: 0, reclaimBudget: 0, scanSlack: 0 })).not.toThrow();
});
