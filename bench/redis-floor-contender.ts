import type { Cluster, Redis } from 'ioredis';
import { indexMember, KeyLayout } from '../adapters/redis/key-layout.js';
import { encodeHeader } from '../adapters/redis/stored-session.js';
import { benchHandles } from './bench-handles.js';
import { BENCH_DATA, BENCH_TTL_MS, benchSession } from './session-fixture.js';
import { expectOutcome, type StoreContender } from './store-contender.js';
import { SUBJECTS } from './subjects.js';

/**
 * The floor of our Redis layout: what any store keeping it must at least run per operation, as
 * one script of exactly those commands, on the keys and values our store writes (the session's
 * string of header and data, with PX; its member in its partition's user index and expiry
 * index). No reclaiming, no checks, no header parsing or rebuilding: only the commands.
 * - create: `SET NX PX`, the two `ZADD`s (a session and its two index entries).
 * - replace and refresh: `GET` (the stored version, createdAt and deadline the core's rule needs),
 *   `SET PX` (the header holds the deadline and the version).
 * - delete: `GET` (the index member names the user, whom the handle does not), `DEL`, two `ZREM`s.
 * - get: one `GET`, which is what our store sends.
 * Set beside the raw ceiling, it says how much of our cost is the layout's (a script's fixed
 * cost and the index commands) and how much our scripts add to it.
 */
export function redisFloorContender(client: Redis | Cluster, close: () => Promise<void>): StoreContender {
  const keys = new KeyLayout('bench-floor:', 16);
  const script = (name: string, numberOfKeys: number, lua: string) => client.defineCommand(name, { numberOfKeys, lua });
  script(
    'benchFloorCreate',
    3,
    `if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
return 1`,
  );
  script('benchFloorRewrite', 1, `if not redis.call('GET', KEYS[1]) then return 0 end redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1`);
  script(
    'benchFloorDelete',
    3,
    `if not redis.call('GET', KEYS[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`,
  );
  const scripts = client as unknown as Record<'benchFloorCreate' | 'benchFloorRewrite' | 'benchFloorDelete', (...args: (string | number)[]) => Promise<number>>;
  const px = String(BENCH_TTL_MS);
  const data = JSON.stringify(BENCH_DATA);
  return {
    name: SUBJECTS.redisFloor,
    async cycle(count) {
      const prefix = `floor-${Math.random().toString(36).slice(2, 8)}-`;
      const handles = await benchHandles(count, (i) => `${prefix}${i}`);
      const at = (index: number) => {
        const handle = handles[index] as string;
        const tag = keys.tagOf(handle);
        return { key: keys.session(handle), ids: keys.ids(tag), exp: keys.expiry(tag), member: indexMember(`${prefix}${index}`, handle) };
      };
      const value = (index: number, version: number): string => {
        const session = benchSession(handles[index] as string, Date.now(), version, `${prefix}${index}`);
        return encodeHeader(session, undefined) + data;
      };
      return {
        async create(index) {
          const { key, ids, exp, member } = at(index);
          expectOutcome('create', await scripts.benchFloorCreate(key, ids, exp, value(index, 1), px, member, Date.now() + BENCH_TTL_MS), 1);
        },
        async get(index) {
          expectOutcome('GET', typeof (await client.get(at(index).key)), 'string');
        },
        async replace(index) {
          expectOutcome('replace', await scripts.benchFloorRewrite(at(index).key, value(index, 2), px), 1);
        },
        async refresh(index) {
          expectOutcome('refresh', await scripts.benchFloorRewrite(at(index).key, value(index, 3), px), 1);
        },
        async delete(index) {
          const { key, ids, exp, member } = at(index);
          expectOutcome('delete', await scripts.benchFloorDelete(key, ids, exp, member), 1);
        },
      };
    },
    close,
  };
}
