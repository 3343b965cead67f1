import { InvalidInputError, type JsonObject, type Session } from '../../core/index.js';
import { createSessionBridge, saveSession, type SessionBridge, type SessionBridgeOptions } from '../session-bridge/index.js';
import './koa-session-module.js';

/**
 * What a koa-session store is built from: a `SessionService`, or a `SessionStore` (memory, Redis,
 * DynamoDB) and the service's options (policy, clock, cap), plus `userIdField` (default `userId`)
 * and `concurrency` (see `SetConcurrency`).
 */
export type KoaStoreOptions = SessionBridgeOptions;

/** koa-session's `maxAge`: ms, `'session'` (a browser-session cookie), or absent. */
export type KoaMaxAge = number | 'session' | undefined;

/** What koa-session passes to `get`. */
export interface KoaGetOptions {
  readonly rolling?: boolean | undefined;
  readonly ctx?: unknown;
}

/** What koa-session passes to `set`. */
export interface KoaSetOptions extends KoaGetOptions {
  readonly changed?: boolean | undefined;
}

/** What koa-session passes to `destroy`. */
export interface KoaDestroyOptions {
  readonly ctx?: unknown;
}

// koa-session writes `_expire` (its clock's now + maxAge) on every save and reads it back on load
// (to refuse an expired session, and for `renew`). The core's deadline is the one that holds: a
// throttled touch moves it without a write. So the field is never stored, and `get` answers the
// core's `expiresAt` in it.
const EXPIRE_FIELD = '_expire';

/**
 * koa-session's external store (`session({ store: createKoaStore({ store }) }, app)`) over
 * session-api's core. External keys (koa-session's default ids are UUIDs) are kept only as hashes;
 * a session's lifetime is `maxAge` when it is created (clamped by the core's policy, absolute
 * timeout included), and the core's clock decides when it is gone. A save that changed nothing
 * (rolling, renew) is the core's throttled touch; a save by a request whose session was ended
 * meanwhile (logout, log out everywhere) never brings it back.
 */
export class KoaSessionStore {
  /** The bridge underneath (and through it, `bridge.service`). */
  readonly bridge: SessionBridge;
  // What each request (its ctx, which koa-session passes to get and set alike) loaded, and under
  // which key: a save writes against it. `undefined` once the request has written a session it
  // made (a later save of it is a plain upsert). Weak, so an entry goes with its request.
  readonly #loaded = new WeakMap<object, { readonly key: string; readonly session: Session | undefined }>();

  constructor(options: KoaStoreOptions) {
    this.bridge = createSessionBridge(options);
  }

  /** The session object stored under `key`, or `undefined` (koa-session then starts a new one). */
  async get(key: string, _maxAge?: KoaMaxAge, options?: KoaGetOptions): Promise<JsonObject | undefined> {
    const loaded = await this.bridge.load(key);
    if (loaded === undefined) return undefined;
    if (isObject(options?.ctx)) this.#loaded.set(options.ctx, { key, session: loaded });
    // koa-session copies the fields onto its Session, nested objects by reference: hand it a copy
    // so what the request changes in place is not what it loaded.
    return { ...structuredClone(loaded.data), [EXPIRE_FIELD]: loaded.expiresAt };
  }

  /** Saves `sess` under `key`: a touch when it is what this request loaded, a write otherwise. */
  async set(key: string, sess: object, maxAge?: KoaMaxAge, options?: KoaSetOptions): Promise<void> {
    if (!isObject(sess)) throw new InvalidInputError('session', 'must be an object');
    const { [EXPIRE_FIELD]: _expire, ...session } = sess as Record<string, unknown>;
    const ctx = isObject(options?.ctx) ? options.ctx : undefined;
    const remembered = ctx === undefined ? undefined : this.#loaded.get(ctx);
    // A key this request loaded nothing under (a first visit, a key regenerate just made) is a
    // session the request made: `null`, created in one round trip. Without a ctx, nobody knows.
    const loaded = ctx === undefined ? undefined : remembered?.key === key ? remembered.session : null;
    // koa-session already adds 10 s to maxAge so that the store outlives the cookie.
    await saveSession(this.bridge, key, session, typeof maxAge === 'number' ? maxAge : undefined, loaded);
    if (ctx !== undefined && loaded === null) this.#loaded.set(ctx, { key, session: undefined });
  }

  /** Ends the session under `key`, if there is one. */
  destroy(key: string, _options?: KoaDestroyOptions): Promise<void> {
    return this.bridge.destroy(key);
  }
}

/** Builds a koa-session store: `app.use(session({ store: createKoaStore({ store }) }, app))`. */
export function createKoaStore(options: KoaStoreOptions): KoaSessionStore {
  return new KoaSessionStore(options);
}

/** Ends every session of `userId` in `store` (log out everywhere); answers how many were live. */
export async function logoutEverywhere(store: KoaSessionStore, userId: string | number): Promise<number> {
  return bridgeOf(store).logoutEverywhere(userId);
}

/** The live sessions of `userId` in `store`: the core's sessions (handle, times, device context), `data` being each session object. */
export async function listUserSessions(store: KoaSessionStore, userId: string | number): Promise<Session[]> {
  return bridgeOf(store).listUserSessions(userId);
}

function bridgeOf(store: unknown): SessionBridge {
  if (!(store instanceof KoaSessionStore)) throw new InvalidInputError('store', 'must be a store made by createKoaStore');
  return store.bridge;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

