import type { SessionStore } from '@fastify/session';
import type * as Fastify from 'fastify';
import { InvalidInputError, type JsonObject, type Session } from '../../core/index.js';
import { createSessionBridge, saveSession, type SessionBridge, type SessionBridgeOptions } from '../session-bridge/index.js';
import './fastify-session-module.js';

/**
 * What a @fastify/session store is built from: a `SessionService`, or a `SessionStore` (memory,
 * Redis, DynamoDB) and the service's options (policy, clock, cap), plus `userIdField` (default
 * `userId`) and `concurrency` (see `SetConcurrency`).
 */
export type FastifyStoreOptions = SessionBridgeOptions;

/**
 * The field of a loaded session that tells its save what the request loaded. @fastify/session
 * gives a store's `set` only the sid and the session: the one thing that reaches it from `get` is
 * the fields, which it copies onto the request's session (by reference). So `get` adds this field,
 * an empty frozen object standing for what was loaded; `set` reads it and never stores it. An app
 * sees it in `request.session` and must leave it alone.
 */
export const LOADED_FIELD = 'sessionApiLoaded';

/** @fastify/session's callbacks (its `SessionStore`'s). */
export type FastifyStoreCallback<T = void> = (error: unknown, value?: T) => void;

/**
 * @fastify/session's store (`app.register(fastifySession, { secret, store: createFastifyStore({ store }) })`)
 * over session-api's core. Session ids are kept only as hashes; a session's lifetime is its
 * cookie's `maxAge` when it is created (clamped by the core's policy, absolute timeout included),
 * and the core's clock decides when it is gone. A save that changed nothing (@fastify/session
 * saves every response by default: `rolling`) is the core's throttled touch; a save by a request
 * whose session was ended meanwhile (logout, log out everywhere) never brings it back.
 */
export class FastifySessionStore implements SessionStore {
  /** The bridge underneath (and through it, `bridge.service`). */
  readonly bridge: SessionBridge;
  // What each request loaded, keyed by the marker its session carries (LOADED_FIELD). Weak, so an
  // entry goes with the request's session object.
  readonly #loaded = new WeakMap<object, Session>();
  // The session objects this store created (a first visit, a regenerate): a later save of the same
  // object in that request is a plain upsert. Weak, as above.
  readonly #created = new WeakSet<object>();

  constructor(options: FastifyStoreOptions) {
    this.bridge = createSessionBridge(options);
  }

  /** The session stored for `sessionId`, or `null` (@fastify/session then starts a new one). */
  get(sessionId: string, callback: FastifyStoreCallback<Fastify.Session | null>): void {
    settle(
      this.bridge.load(sessionId).then((loaded) => {
        if (loaded === undefined) return null;
        const marker = Object.freeze({});
        this.#loaded.set(marker, loaded);
        // A copy: @fastify/session copies the fields by reference, and the request may change them in place.
        return { ...structuredClone(loaded.data), [LOADED_FIELD]: marker } as unknown as Fastify.Session;
      }),
      callback,
    );
  }

  /** Saves `session` for `sessionId`: a touch when it is what this request loaded, a write otherwise. */
  set(sessionId: string, session: Fastify.Session, callback: FastifyStoreCallback): void {
    settle(this.#save(sessionId, session), callback);
  }

  /** Ends the session of `sessionId`, if there is one. */
  destroy(sessionId: string, callback: FastifyStoreCallback): void {
    settle(this.bridge.destroy(sessionId), callback);
  }

  async #save(sessionId: string, session: Fastify.Session): Promise<void> {
    if (typeof session !== 'object' || session === null) throw new InvalidInputError('session', 'must be an object');
    const { [LOADED_FIELD]: marker, cookie, ...fields } = session as unknown as Record<string, unknown>;
    // Without the marker (a first visit; regenerate makes a new object) the request made the
    // session: `null`, created in one round trip; once created, `undefined` (a plain upsert).
    const loaded = typeof marker === 'object' && marker !== null ? this.#loaded.get(marker) : this.#created.has(session) ? undefined : null;
    const kept = keptCookie(cookie);
    const written = kept === undefined ? fields : { ...fields, cookie: kept };
    await saveSession(this.bridge, sessionId, written, lifetimeOf(kept), loaded);
    if (loaded === null) this.#created.add(session);
  }
}

/**
 * The cookie as stored: its JSON form, less `expires` and `originalExpires` when it has a `maxAge`.
 * Those move on every request (a rolling cookie), so keeping them would make every save a write;
 * they follow from `originalMaxAge` when @fastify/session revives the session; and its own expiry
 * check on load reads them against its clock, where the core's clock is the one that decides.
 */
function keptCookie(cookie: unknown): JsonObject | undefined {
  if (typeof cookie !== 'object' || cookie === null) return undefined;
  const json = typeof (cookie as { toJSON?: unknown }).toJSON === 'function' ? (cookie as { toJSON(): unknown }).toJSON() : cookie;
  const { expires, originalExpires: _originalExpires, ...rest } = JSON.parse(JSON.stringify(json)) as JsonObject;
  return typeof rest.originalMaxAge === 'number' ? rest : { ...rest, ...(expires === undefined ? {} : { expires }) };
}

/** The lifetime a new session gets: the cookie's `maxAge`, else what is left until its `expires`, else the policy's default. */
function lifetimeOf(cookie: JsonObject | undefined): number | undefined {
  if (cookie === undefined) return undefined;
  if (typeof cookie.originalMaxAge === 'number') return cookie.originalMaxAge;
  const expires = typeof cookie.expires === 'string' ? Date.parse(cookie.expires) : Number.NaN;
  return Number.isNaN(expires) ? undefined : expires - Date.now();
}

/** Builds a @fastify/session store: `app.register(fastifySession, { secret, store: createFastifyStore({ store }) })`. */
export function createFastifyStore(options: FastifyStoreOptions): FastifySessionStore {
  return new FastifySessionStore(options);
}

/** Ends every session of `userId` in `store` (log out everywhere); answers how many were live. */
export async function logoutEverywhere(store: FastifySessionStore, userId: string | number): Promise<number> {
  return bridgeOf(store).logoutEverywhere(userId);
}

/** The live sessions of `userId` in `store`: the core's sessions (handle, times, device context), `data` being each session object. */
export async function listUserSessions(store: FastifySessionStore, userId: string | number): Promise<Session[]> {
  return bridgeOf(store).listUserSessions(userId);
}

function bridgeOf(store: unknown): SessionBridge {
  if (!(store instanceof FastifySessionStore)) throw new InvalidInputError('store', 'must be a store made by createFastifyStore');
  return store.bridge;
}

/** Ends a store method: its promise's outcome to the callback, @fastify/session's way. */
function settle<T>(pending: Promise<T>, callback: FastifyStoreCallback<T>): void {
  pending.then(
    (value) => callback(null, value),
    (error: unknown) => callback(error),
  );
}
