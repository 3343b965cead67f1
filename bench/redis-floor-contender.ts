import type { Cluster, Redis } from 'ioredis';
import { indexMember, KeyLayout } from '../adapters/redis/key-layout.js';
import { encodeHeader } from '../adapters/redis/stored-session.js';
import { benchHandles } from './bench-handles.js';
import { defineLayoutFloorScripts } from './layout-floor-scripts.js';
import { BENCH_DATA, BENCH_TTL_MS, benchSession } from './session-fixture.js';
import { expectOutcome, type StoreContender } from './store-contender.js';
import { SUBJECTS } from './subjects.js';

/**
 * The floor of our Redis layout: what any store keeping it must at least run per operation, as
 * one script of exactly those commands, on the keys and values our store writes (the session's
 * string of header and data, with PX; its member in its partition's user index and expiry
 * index). No reclaiming, no checks, no header parsing or rebuilding: only the commands
 * (layout-floor-scripts.ts: create, the rewrite for replace and refresh, delete); get is one
 * `GET`, which is what our store sends.
 * Set beside the raw ceiling, it says how much of our cost is the layout's (a script's fixed
 * cost and the index commands) and how much our scripts add to it.
 */
export function redisFloorContender(client: Redis | Cluster, close: () => Promise<void>): StoreContender {
  const keys = new KeyLayout('bench-floor:', 16);
  const scripts = defineLayoutFloorScripts(client);
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
