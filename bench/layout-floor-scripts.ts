import type { Cluster, Redis } from 'ioredis';

/** The floor scripts, as `defineLayoutFloorScripts` puts them on a client. */
export interface LayoutFloorScripts {
  /** KEYS: session, ids, exp (then the alias). ARGV: value, PX, member, expiry score (then the alias value). 1 written, 0 a key taken. */
  benchFloorCreate(...args: (string | number)[]): Promise<number>;
  benchFloorCreateAliased(...args: (string | number)[]): Promise<number>;
  /** KEYS: session. ARGV: value, PX. 1 written, 0 none there. */
  benchFloorRewrite(...args: (string | number)[]): Promise<number>;
  /** KEYS: session, ids, exp (then the alias). ARGV: member. 1 deleted, 0 none there. */
  benchFloorDelete(...args: (string | number)[]): Promise<number>;
  benchFloorDeleteAliased(...args: (string | number)[]): Promise<number>;
}

/**
 * The fewest commands our Redis layout needs per write, one script each, for the bench's floors
 * (the store's, redis-floor-contender.ts, and an express store's, express-floor-store.ts): a
 * session is its string plus its member in its partition's user and expiry indexes, and a
 * caller's token with a user has its alias besides.
 * - create: `SET NX PX`, (the alias's `SET NX`,) the two `ZADD`s;
 * - rewrite (replace, refresh, a changed express session): `GET` (what the core's rule needs),
 *   `SET PX` (the header holds the version and the deadline);
 * - delete: `GET` (the member names the user), `DEL`, the two `ZREM`s, (the alias's `GET`, `DEL`).
 */
export function defineLayoutFloorScripts(client: Redis | Cluster): LayoutFloorScripts {
  const create = (aliased: boolean) => `if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
${aliased ? `if not redis.call('SET', KEYS[4], ARGV[5], 'NX') then return 0 end\n` : ''}redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
return 1`;
  const remove = (aliased: boolean) => `if not redis.call('GET', KEYS[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
${aliased ? `if redis.call('GET', KEYS[4]) then redis.call('DEL', KEYS[4]) end\n` : ''}return 1`;
  client.defineCommand('benchFloorCreate', { numberOfKeys: 3, lua: create(false) });
  client.defineCommand('benchFloorCreateAliased', { numberOfKeys: 4, lua: create(true) });
  client.defineCommand('benchFloorRewrite', { numberOfKeys: 1, lua: `if not redis.call('GET', KEYS[1]) then return 0 end redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1` });
  client.defineCommand('benchFloorDelete', { numberOfKeys: 3, lua: remove(false) });
  client.defineCommand('benchFloorDeleteAliased', { numberOfKeys: 4, lua: remove(true) });
  return client as unknown as LayoutFloorScripts;
}
