import type { Cluster, Redis } from 'ioredis';
import session from 'express-session';
import { lookupHandle, placeToken, userHome } from '../core/index.js';
import { indexMember, KeyLayout } from '../adapters/redis/key-layout.js';
import { ALIAS_MARK, decodeHeader, encodeHeader } from '../adapters/redis/stored-session.js';
import { defineLayoutFloorScripts, type LayoutFloorScripts } from './layout-floor-scripts.js';
import { nodeSha256 } from './node-sha256.js';
import { BENCH_TTL_MS } from './session-fixture.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * The floor of an express-session store on our Redis layout: what any store keeping express
 * sessions as ours does must at least do per call, and nothing more. Sids hashed into handles as
 * the core hashes them (the session in its user's home, the sid's own handle its alias); the
 * session's string of header and JSON; one script per write of only the commands the keys need
 * (layout-floor-scripts.ts): set of a new session, the aliased create; of a loaded one, the
 * rewrite; destroy, the aliased delete. get: one `GET` at the handle this process remembers for the
 * sid (as ours does), the JSON parsed. touch: nothing (within the touch interval ours writes
 * nothing either).
 * No core, no checks, no reclaiming, no versions read back. Set beside connect-redis, it says how
 * much of our express store's gap is the layout's (two keys and two index entries a session,
 * hashing) and how much ours adds to it.
 */
export class ExpressFloorStore extends session.Store {
  readonly #client: Redis | Cluster;
  readonly #scripts: LayoutFloorScripts;
  readonly #keys = new KeyLayout('bench-express-floor:', 16);
  // Where each sid's session lives (its handle, and its index member: ours reads the user from the
  // stored value inside its script), as ours remembers its sessions' places.
  readonly #places = new Map<string, { readonly handle: string; readonly member: string }>();

  constructor(client: Redis | Cluster) {
    super();
    this.#client = client;
    this.#scripts = defineLayoutFloorScripts(client);
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
      this.#scripts.benchFloorRewrite(this.#keys.session(known.handle), headerAt(userId, now, 2) + text, BENCH_TTL_MS).then(done, (error: unknown) => callback?.(error));
      return;
    }
    const { handle, alias } = placeToken(sid, userHome(userId, nodeSha256) as string, nodeSha256) as { handle: string; alias: string };
    const tag = this.#keys.tagOf(handle);
    const member = indexMember(userId, handle);
    this.#scripts
      .benchFloorCreateAliased(
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
      .benchFloorDeleteAliased(this.#keys.session(place.handle), this.#keys.ids(tag), this.#keys.expiry(tag), this.#keys.session(own), place.member)
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }
}

/** A new or rewritten session's stored header, as our store writes it. */
function headerAt(userId: string, now: number, version: number): string {
  return encodeHeader({ userId, createdAt: now, updatedAt: now, lastActiveAt: now, expiresAt: now + BENCH_TTL_MS, version, ttl: BENCH_TTL_MS }, undefined);
}
