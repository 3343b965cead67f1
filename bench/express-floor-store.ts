import type { Cluster, Redis } from 'ioredis';
import session from 'express-session';
import { lookupHandle, placeToken, userHome } from '../core/index.js';
import { indexMember, KeyLayout } from '../adapters/redis/key-layout.js';
import { ALIAS_MARK, decodeHeader, encodeHeader } from '../adapters/redis/stored-session.js';
import { nodeSha256 } from './node-sha256.js';
import { BENCH_TTL_MS } from './session-fixture.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;
type FloorScripts = Record<'benchExpressFloorCreate' | 'benchExpressFloorRewrite' | 'benchExpressFloorDelete', (...args: (string | number)[]) => Promise<number>>;

/**
 * The floor of an express-session store on our Redis layout: what any store keeping express
 * sessions as ours does must at least do per call, and nothing more. Sids hashed into handles as
 * the core hashes them (the session in its user's home, the sid's own handle its alias); the
 * session's string of header and JSON; one script per write of only the commands the keys need:
 * - set of a new session: `SET NX PX` of the session, `SET NX` of its alias, the two `ZADD`s;
 * - set of a loaded one: `GET`, `SET PX` (the header holds the version and the deadline);
 * - get: one `GET` at the handle this process remembers for the sid (as ours does), the JSON parsed;
 * - destroy: `GET`, `DEL`, the two `ZREM`s, then the alias's `GET` and `DEL`;
 * - touch: nothing (within the touch interval ours writes nothing either).
 * No core, no checks, no reclaiming, no versions read back. Set beside connect-redis, it says how
 * much of our express store's gap is the layout's (two keys and two index entries a session,
 * hashing) and how much ours adds to it.
 */
export class ExpressFloorStore extends session.Store {
  readonly #client: Redis | Cluster;
  readonly #keys = new KeyLayout('bench-express-floor:', 16);
  // Where each sid's session lives (its handle, and its index member: ours reads the user from the
  // stored value inside its script), as ours remembers its sessions' places.
  readonly #places = new Map<string, { readonly handle: string; readonly member: string }>();

  constructor(client: Redis | Cluster) {
    super();
    this.#client = client;
    client.defineCommand('benchExpressFloorCreate', {
      numberOfKeys: 4,
      lua: `if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if not redis.call('SET', KEYS[4], ARGV[5], 'NX') then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
return 1`,
    });
    client.defineCommand('benchExpressFloorRewrite', {
      numberOfKeys: 1,
      lua: `if not redis.call('GET', KEYS[1]) then return 0 end redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1`,
    });
    client.defineCommand('benchExpressFloorDelete', {
      numberOfKeys: 4,
      lua: `if not redis.call('GET', KEYS[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[4]) then redis.call('DEL', KEYS[4]) end
return 1`,
    });
  }

  get #scripts(): FloorScripts {
    return this.#client as unknown as FloorScripts;
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    const own = lookupHandle(sid, nodeSha256) as string;
    this.#client.get(this.#keys.session(this.#places.get(own)?.handle ?? own)).then((value) => {
      if (value === null) return callback(undefined, null);
      const header = decodeHeader(value);
      callback(undefined, header === undefined ? null : (JSON.parse(value.slice(header.dataStart)) as session.SessionData));
    }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const text = JSON.stringify(data);
    const userId = String((data as unknown as Record<string, unknown>)['userId']);
    const now = Date.now();
    const own = lookupHandle(sid, nodeSha256) as string;
    const known = this.#places.get(own);
    const done = (): void => callback?.();
    if (known !== undefined) {
      this.#scripts.benchExpressFloorRewrite(this.#keys.session(known.handle), headerAt(userId, now, 2) + text, BENCH_TTL_MS).then(done, (error: unknown) => callback?.(error));
      return;
    }
    const { handle, alias } = placeToken(sid, userHome(userId, nodeSha256) as string, nodeSha256) as { handle: string; alias: string };
    const tag = this.#keys.tagOf(handle);
    const member = indexMember(userId, handle);
    this.#scripts
      .benchExpressFloorCreate(
        this.#keys.session(handle),
        this.#keys.ids(tag),
        this.#keys.expiry(tag),
        this.#keys.session(alias),
        headerAt(userId, now, 1) + text,
        BENCH_TTL_MS,
        member,
        now + BENCH_TTL_MS,
        `${ALIAS_MARK}${handle}`,
      )
      .then(() => {
        this.#places.set(own, { handle, member });
        done();
      }, (error: unknown) => callback?.(error));
  }

  override touch(_sid: string, _data: session.SessionData, callback?: Callback): void {
    callback?.();
  }

  override destroy(sid: string, callback?: Callback): void {
    const own = lookupHandle(sid, nodeSha256) as string;
    const place = this.#places.get(own);
    if (place === undefined) return callback?.();
    this.#places.delete(own);
    const tag = this.#keys.tagOf(place.handle);
    this.#scripts
      .benchExpressFloorDelete(this.#keys.session(place.handle), this.#keys.ids(tag), this.#keys.expiry(tag), this.#keys.session(own), place.member)
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }
}

/** A new or rewritten session's stored header, as our store writes it. */
function headerAt(userId: string, now: number, version: number): string {
  return encodeHeader({ userId, createdAt: now, updatedAt: now, lastActiveAt: now, expiresAt: now + BENCH_TTL_MS, version, ttl: BENCH_TTL_MS }, undefined);
}
