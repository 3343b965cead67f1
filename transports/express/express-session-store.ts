import type { SessionData } from 'express-session';
import { InvalidInputError, type Session } from '../../core/index.js';
import { createSessionBridge, type SessionBridge, type SessionBridgeOptions } from '../session-bridge/index.js';
import { expressSessionModule } from './express-session-module.js';

/**
 * What an express-session store is built from: a `SessionService`, or a `SessionStore` (memory,
 * Redis, DynamoDB) and the service's options (policy, clock, cap), plus `userIdField` (default
 * `userId`) and `concurrency` (see `SetConcurrency`; with `merge-top-level-keys` each request
 * writes only the keys it changed, since the store knows what each request loaded).
 */
export type ExpressStoreOptions = SessionBridgeOptions;

/** The callback every express-session store method ends with. */
export type StoreCallback<T = void> = ((error: unknown, value?: T) => void) | undefined;

/**
 * An express-session `Store` over session-api's core. Sids are kept only as hashes; each
 * session's lifetime is its cookie's (clamped by the core's policy, absolute timeout included)
 * and the core's clock decides when it is gone; touch is the core's throttled refresh. A set by a
 * request whose session was ended meanwhile (logout, log out everywhere) never brings it back.
 */
export class ExpressSessionStore extends expressSessionModule.Store {
  /** The bridge underneath (and through it, `bridge.service`). */
  readonly bridge: SessionBridge;
  // What each request loaded, keyed by its req.session: a set writes against it (resurrection,
  // merging). Weak, so a request's entry goes with its session object.
  readonly #loaded = new WeakMap<object, Session>();

  constructor(options: ExpressStoreOptions) {
    super();
    this.bridge = createSessionBridge(options);
  }

  override get(sid: string, callback: StoreCallback<SessionData | null>): void {
    settle(
      this.bridge.load(sid).then((loaded) => {
        if (loaded === undefined) return null;
        // express-session revives the object in place (cookie.expires back to a Date). Merging
        // needs what was loaded as it was: hand express-session a copy then. Otherwise nothing
        // reads loaded.data again, and the store parsed it for this call alone: no copy.
        const data = (this.bridge.concurrency === 'merge-top-level-keys' ? structuredClone(loaded.data) : loaded.data) as unknown as SessionData;
        this.#loaded.set(data, loaded);
        return data;
      }),
      callback,
    );
  }

  /** express-session calls this with what `get` answered and makes it `req.session`: remember what that request loaded. */
  override createSession(req: Parameters<InstanceType<typeof expressSessionModule.Store>['createSession']>[0], data: SessionData) {
    const loaded = this.#loaded.get(data);
    const made = super.createSession(req, data);
    if (loaded !== undefined) this.#loaded.set(made, loaded);
    return made;
  }

  override set(sid: string, session: SessionData, callback?: StoreCallback): void {
    // A req.session this store did not load was generated in this request (a first visit, a
    // regenerate): `null` tells the bridge to create it straight away. Anything else (a plain
    // object, as connect-redis's checks pass): `undefined`, unknown, so an upsert.
    const loaded = this.#loaded.get(session) ?? (session instanceof expressSessionModule.Session ? null : undefined);
    settle(this.bridge.set(sid, session, ttlOfCookie(session), loaded), callback);
  }

  override touch(sid: string, session: SessionData, callback?: StoreCallback): void {
    settle(this.bridge.touch(sid, session, this.#loaded.get(session)), callback);
  }

  override destroy(sid: string, callback?: StoreCallback): void {
    settle(this.bridge.destroy(sid), callback);
  }

  /** Every live session object; sids are not kept (only their hashes), so it is an array, not keyed by sid. */
  override all(callback: StoreCallback<SessionData[]>): void {
    settle(
      this.bridge.all().then((sessions) => sessions.map((session) => structuredClone(session.data) as unknown as SessionData)),
      callback,
    );
  }

  override length(callback: StoreCallback<number>): void {
    settle(this.bridge.length(), callback);
  }

  override clear(callback?: StoreCallback): void {
    settle(
      this.bridge.clear().then(() => undefined),
      callback,
    );
  }
}

/**
 * The cookie's remaining life in ms, as connect-redis reads it (`expires - Date.now()`: the
 * cookie's own clock); `undefined` for a browser-session cookie (no expiry: the policy's default).
 */
function ttlOfCookie(session: SessionData): number | undefined {
  const expires: unknown = (session as Partial<SessionData>).cookie?.expires;
  if (expires === undefined || expires === null || expires === false) return undefined;
  const at = new Date(expires as string | number | Date).getTime();
  return Number.isNaN(at) ? undefined : at - Date.now();
}

/** Ends a store method: its promise's outcome to the callback, express-session's way. */
function settle<T>(pending: Promise<T>, callback: StoreCallback<T>): void {
  pending.then(
    (value) => callback?.(null, value),
    (error: unknown) => callback?.(error),
  );
}

/** Builds an express-session store: `app.use(session({ store: createExpressStore({ store }), ... }))`. */
export function createExpressStore(options: ExpressStoreOptions): ExpressSessionStore {
  return new ExpressSessionStore(options);
}

/** Ends every session of `userId` in `store` (log out everywhere); answers how many were live. */
export function logoutEverywhere(store: ExpressSessionStore, userId: string | number): Promise<number> {
  return bridgeOf(store).logoutEverywhere(userId);
}

/** The live sessions of `userId` in `store`: the core's sessions (handle, times, device context), `data` being each session object. */
export function listUserSessions(store: ExpressSessionStore, userId: string | number): Promise<Session[]> {
  return bridgeOf(store).listUserSessions(userId);
}

function bridgeOf(store: unknown): SessionBridge {
  if (!(store instanceof ExpressSessionStore)) throw new InvalidInputError('store', 'must be a store made by createExpressStore');
  return store.bridge;
}
