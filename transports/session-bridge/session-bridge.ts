import {
  createSessionService,
  InvalidInputError,
  isCallerToken,
  isThrottled,
  lookupHandle,
  placeToken,
  SessionNotFoundError,
  SessionService,
  StoreUnavailableError,
  TokenTakenError,
  userHome,
  VersionConflictError,
  webCryptoSha256,
  type JsonObject,
  type Page,
  type Session,
  type SessionServiceOptions,
  type SessionStore,
  type Sha256,
} from '../../core/index.js';
import { storedForm, ttlSecondsFor, userOf } from './framework-session.js';
import { PLACE_HINTS_DEFAULT, SeenHandles } from './seen-handles.js';
import { mergeTopLevel } from './top-level-merge.js';

/**
 * What `set` does when two requests of one session write at once.
 *
 * - `last-write-wins` (the default, and what every express-session store does): each `set`
 *   replaces the whole session object, so the later write wins and the earlier request's changes
 *   are gone. One store round trip.
 * - `merge-top-level-keys`: a `set` given the session its request loaded (`loaded`) writes only the
 *   top-level keys that request changed, onto what is stored now (read, merge, write on the version
 *   read, again on a conflict: the core's version check). Two requests changing different keys
 *   both land; the same key: the later one wins it. Without `loaded`, it is last-write-wins.
 */
export type SetConcurrency = 'last-write-wins' | 'merge-top-level-keys';

/** The options of a bridge that are not the service's. */
export interface SessionBridgeOwnOptions {
  /** The field of the framework's session object that names its user (default `userId`). */
  readonly userIdField?: string | undefined;
  /** See {@link SetConcurrency}; default `last-write-wins`. */
  readonly concurrency?: SetConcurrency | undefined;
  /** How sids are hashed into handles (Web Crypto's SHA-256 unless given); also the service's, when the bridge builds it. */
  readonly sha256?: Sha256 | undefined;
  /**
   * How many sids' places (the handle their session lives at) this process remembers: at most
   * this many of the latest, at least half as many (default 10,000; 0: none). A remembered sid
   * is read with one plain store read; any other is resolved by its hash, which on Redis follows
   * its alias (standalone: one read-only script of two GETs; a cluster: a second GET). Each place
   * costs about 90 bytes of heap: size it to the sessions a process serves within their
   * lifetime, where memory allows.
   */
  readonly placeHints?: number | undefined;
}

/**
 * What a bridge is built over: a service (its policy, clock and cap in force), or a store and the
 * service's options, from which the bridge builds the service.
 */
export type SessionBridgeOptions = SessionBridgeOwnOptions & ({ readonly service: SessionService } | SessionServiceOptions);

/**
 * The framework-neutral half of every session-framework store (express-session, koa-session,
 * @fastify/session): the shells map their framework's store calls onto these and nothing else.
 *
 * A framework's session id (`sid`) is the session's token, chosen by the framework
 * (`service.create({ token: sid })`), so stores keep only its hash; a sid must be 22 to 256 of
 * `[A-Za-z0-9_-]` (express-session's, koa-session's and @fastify/session's default ids are).
 * The whole session object is the session's `data`, in its JSON form; its user is read from
 * `userIdField`, so the core's per-user operations (log out everywhere, listings, the cap) work.
 * Times are the core's (`Clock`): a session the core holds expired is absent, whatever its cookie
 * says. Errors are the core's (`SessionError`s); none carries a sid.
 */
export interface SessionBridge {
  /** The service underneath (its policy: `service.policy`). */
  readonly service: SessionService;
  /** What `set` does when two requests of one session write at once. */
  readonly concurrency: SetConcurrency;
  /** The session object stored for `sid`, or `undefined` (unknown, expired, or no sid at all). */
  get(sid: string): Promise<JsonObject | undefined>;
  /** The core's session for `sid` (its `data` is the session object, `version` what `set`'s `loaded` needs), or `undefined`. */
  load(sid: string): Promise<Session | undefined>;
  /**
   * Stores `session` for `sid`: an upsert. When absent, creates it with a lifetime of `ttlMs` (the
   * cookie's remaining life; the policy's default when undefined), clamped to the policy's
   * `maxTtl` and absolute timeout; the lifetime is fixed then (a later `ttlMs` is ignored, except
   * `ttlMs <= 0`, which destroys the session, as connect-redis does). When present, replaces the
   * object (see {@link SetConcurrency}); with sliding expiry its deadline moves.
   *
   * `loaded`: the session this request loaded (`load`'s answer), when the shell knows it. Then a
   * session that is gone since (another request logged out, or logged out everywhere) stays gone:
   * the write is dropped, never resurrecting it (connect-redis #75). Without it, a missing session
   * is created. `null`: the shell knows this request made the session (a first visit, a
   * `regenerate`), so it is created in one round trip (replaced, should the sid be taken after all).
   *
   * A change of user (the field changed without a `regenerate`) moves the session into the new
   * user's place: the old one is deleted and a new one created under the same sid with the written
   * object, so its `createdAt` (and the absolute timeout) start again. Two steps: a crash between
   * leaves the sid logged out, never a session under the wrong user. Prefer `regenerate` at login.
   */
  set(sid: string, session: object, ttlMs?: number, loaded?: Session | null): Promise<void>;
  /**
   * A request that used the session without changing it: extends its life (rolling sessions), at
   * most one write per `policy.touchInterval` (the core's throttled refresh). Never creates.
   * `loaded`: the session this request loaded, when the shell knows it: within the interval of its
   * `lastActiveAt` the refresh would write nothing (the stored one is at least as recent), so no
   * store call is made at all.
   */
  touch(sid: string, session: object, loaded?: Session): Promise<void>;
  /** Ends the session of `sid`, if there is one. */
  destroy(sid: string): Promise<void>;
  /** Every live session (the core's, `data` being the object); sids are not kept, so none is named. */
  all(): Promise<Session[]>;
  /** How many sessions are live. */
  length(): Promise<number>;
  /** Ends every session, one delete each (not one atomic step); answers how many it ended. */
  clear(): Promise<number>;
  /** Ends every session of `userId` (log out everywhere); answers how many were live. */
  logoutEverywhere(userId: string | number): Promise<number>;
  /** The live sessions of `userId` (their `data` is each session object). */
  listUserSessions(userId: string | number): Promise<Session[]>;
}

// A set that keeps losing races (another process writing the same session) gives up after this many rounds.
const SET_ATTEMPTS = 10;
const CONCURRENCY = ['last-write-wins', 'merge-top-level-keys'] as const;

/** Builds the bridge over a service, or over a store and the service's options. */
export function createSessionBridge(options: SessionBridgeOptions): SessionBridge {
  const { userIdField = 'userId', concurrency = 'last-write-wins', sha256 = webCryptoSha256, placeHints = PLACE_HINTS_DEFAULT } = options;
  if (typeof userIdField !== 'string' || userIdField.length === 0) throw new InvalidInputError('userIdField', 'must be a non-empty string');
  if (!CONCURRENCY.includes(concurrency)) throw new InvalidInputError('concurrency', `must be one of ${CONCURRENCY.join(', ')}`);
  if (!Number.isSafeInteger(placeHints) || placeHints < 0) throw new InvalidInputError('placeHints', 'must be a whole number, 0 or more');
  const service = 'service' in options ? options.service : createSessionService({ sha256, ...serviceOptions(options) });
  return new FrameworkSessionBridge(service, userIdField, concurrency === 'merge-top-level-keys', sha256, new SeenHandles(placeHints));
}

function serviceOptions(options: SessionServiceOptions & SessionBridgeOwnOptions): SessionServiceOptions {
  const { userIdField: _field, concurrency: _concurrency, placeHints: _hints, ...rest } = options;
  return rest;
}

class FrameworkSessionBridge implements SessionBridge {
  constructor(
    readonly service: SessionService,
    readonly userIdField: string,
    readonly merges: boolean,
    readonly sha256: Sha256,
    seen: SeenHandles,
  ) {
    this.#seen = seen;
  }

  readonly #seen: SeenHandles;

  get concurrency(): SetConcurrency {
    return this.merges ? 'merge-top-level-keys' : 'last-write-wins';
  }

  async get(sid: string): Promise<JsonObject | undefined> {
    return (await this.load(sid))?.data;
  }

  async load(sid: string): Promise<Session | undefined> {
    // Where this process last saw the sid's session (it made it, or loaded it): that handle ends
    // in the sid's digest, so a live session there is the sid's (as long as it lives, its alias
    // names it): read there, one plain read instead of following the alias.
    const own = isCallerToken(sid) ? await lookupHandle(sid, this.sha256) : undefined;
    const seen = own === undefined ? undefined : this.#seen.peek(own);
    if (seen !== undefined && seen !== own) {
      const found = await absentIfNotFound(this.service.get(seen));
      if (found !== undefined) return found;
    }
    const session = await absentIfNotFound(this.service.resolve(sid));
    if (session !== undefined) this.#seen.note(session.id);
    return session;
  }

  async set(sid: string, session: object, ttlMs?: number, loaded?: Session | null): Promise<void> {
    checkSid(sid);
    if (ttlMs !== undefined && ttlMs <= 0) return this.destroy(sid);
    const written = storedForm(session);
    const userId = userOf(written, this.userIdField);
    if (loaded === null) {
      const created = await this.#create(sid, userId, written, ttlMs).then(
        () => true,
        (error: unknown) => {
          if (error instanceof TokenTakenError) return false;
          throw error;
        },
      );
      if (created) return;
      return this.#upsert(sid, written, ttlMs, undefined);
    }
    if (!this.merges || loaded === undefined) {
      // The usual case in one round trip: the sid's session is where its user's sessions live
      // (where this request loaded it from, when the user is the same: no hashing then).
      const handle = loaded !== undefined && loaded.userId === userId ? loaded.id : await this.#handle(sid, userId);
      const replaced = await absentIfNotFound(this.service.replace(handle, written));
      if (replaced !== undefined) return;
    }
    return this.#upsert(sid, written, ttlMs, loaded);
  }

  /** Creates the sid's session, its lifetime the cookie's within the policy, and notes where it is. */
  async #create(sid: string, userId: string | undefined, data: JsonObject, ttlMs: number | undefined): Promise<void> {
    const created = await this.service.create({ token: sid, userId, data, ttlSeconds: ttlSecondsFor(ttlMs, this.service.policy) });
    this.#seen.note(created.id);
  }

  /** The general write: find where the sid's session is now, then replace, move or create it. */
  async #upsert(sid: string, written: JsonObject, ttlMs: number | undefined, loaded: Session | undefined): Promise<void> {
    for (let attempt = 0; attempt < SET_ATTEMPTS; attempt++) {
      const current = await this.load(sid);
      if (current === undefined && loaded !== undefined) return; // gone since this request loaded it: stays gone
      const next = this.merges && loaded !== undefined && current !== undefined ? mergeTopLevel(loaded.data, written, current.data) : written;
      const userId = userOf(next, this.userIdField);
      const expectedVersion = this.merges ? current?.version : undefined;
      try {
        if (current !== undefined && current.userId === userId) {
          await this.service.replace(current.id, next, { expectedVersion });
          return;
        }
        if (current !== undefined) await this.service.delete(current.id, { expectedVersion });
        await this.#create(sid, userId, next, ttlMs);
        return;
      } catch (error) {
        // Another request wrote, moved, ended or created it in between: look again.
        if (!(error instanceof VersionConflictError || error instanceof SessionNotFoundError || error instanceof TokenTakenError)) throw error;
      }
    }
    throw new StoreUnavailableError('too many concurrent writes to this session; try again shortly');
  }

  async touch(sid: string, session: object, loaded?: Session): Promise<void> {
    if (!isCallerToken(sid)) return;
    const userId = userOf(session, this.userIdField);
    if (loaded !== undefined && loaded.userId === userId) {
      // The core's rule on what this request read: lastActiveAt only moves forward, so throttled
      // here means throttled in the store too (and a session ended since is no one's to extend).
      if (isThrottled(loaded, { touchInterval: this.service.policy.touchInterval }, this.service.clock.now())) return;
    }
    const handle = loaded !== undefined && loaded.userId === userId ? loaded.id : await this.#handle(sid, userId);
    const refreshed = await absentIfNotFound(this.service.refresh(handle));
    if (refreshed !== undefined) return;
    // The object names another user than the stored session (a changed userIdField, say): find it by the sid.
    const current = await this.load(sid);
    if (current !== undefined) await absentIfNotFound(this.service.refresh(current.id));
  }

  async destroy(sid: string): Promise<void> {
    const own = await lookupHandle(sid, this.sha256);
    if (own === undefined) return;
    // Where this process last saw the sid's session (the request ending it loaded it): one
    // delete. Gone from there (moved to another user, ended), or never seen: look it up.
    // `alias`: where its own handle is the session's alias, a store may remove both at once.
    const seen = this.#seen.take(own);
    if (seen !== undefined && (await absentIfNotFound(this.service.delete(seen, { alias: own }).then(() => true))) === true) return;
    // Resolved directly, not through load: it would note the very place this ends.
    const current = await absentIfNotFound(this.service.resolve(sid));
    if (current !== undefined) await absentIfNotFound(this.service.delete(current.id, { alias: own }));
  }

  all(): Promise<Session[]> {
    return everySession((cursor) => this.service.list({ limit: PAGE, cursor }));
  }

  async length(): Promise<number> {
    return (await this.all()).length;
  }

  async clear(): Promise<number> {
    const sessions = await this.all();
    let ended = 0;
    for (const session of sessions) {
      if ((await absentIfNotFound(this.service.delete(session.id).then(() => true))) === true) ended++;
    }
    return ended;
  }

  logoutEverywhere(userId: string | number): Promise<number> {
    return this.service.deleteByUser(String(userId));
  }

  listUserSessions(userId: string | number): Promise<Session[]> {
    return everySession((cursor) => this.service.listByUser(String(userId), { limit: PAGE, cursor }));
  }

  /** Where the session of `sid` lives when it is `userId`'s (or anonymous): computed, no store call. */
  async #handle(sid: string, userId: string | undefined): Promise<string> {
    const home = userId === undefined ? undefined : await userHome(userId, this.sha256);
    return (await placeToken(sid, home, this.sha256)).handle;
  }
}

const PAGE = 1000;

/** Every page of a listing, first to last. */
async function everySession(read: (cursor: string | undefined) => Promise<Page>): Promise<Session[]> {
  const sessions: Session[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read(cursor);
    sessions.push(...page.sessions);
    if (page.nextCursor === null) return sessions;
    cursor = page.nextCursor;
  }
}

/** The answer, or `undefined` when the core says the session is not there. */
async function absentIfNotFound<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof SessionNotFoundError) return undefined;
    throw error;
  }
}

/** A sid the core can keep as a token; the message says what a framework's `genid` must make, never the sid. */
function checkSid(sid: unknown): asserts sid is string {
  if (!isCallerToken(sid)) throw new InvalidInputError('sid', 'must be 22 to 256 characters of A-Z, a-z, 0-9, - and _ (check the framework\'s genid)');
}
