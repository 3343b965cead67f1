import { systemClock, type Clock } from './clock.js';
import {
  EventsDisabledError,
  InvalidInputError,
  SessionLimitError,
  SessionNotFoundError,
  StoreUnavailableError,
  TokenTakenError,
  UserMismatchError,
  VersionConflictError,
} from './errors.js';
import type { JsonObject } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import { randomSecretGenerator, type SecretGenerator } from './secret-generator.js';
import { plainSession, withToken, type CreatedSession, type Session } from './session.js';
import { ROTATION_GRACE_MAX_SECONDS, rotatedSession, rotationGraceEnd, type SessionChange } from './session-change.js';
import { checkContext, checkMaxAuthAgeSeconds, requireFreshAuthentication, type SessionContext } from './session-context.js';
import {
  anonymousHome,
  homeOf,
  isCallerToken,
  isSessionHandle,
  issuedToken,
  lookupHandle,
  placeToken,
  userHome,
} from './session-handle.js';
import {
  checkCursor,
  checkData,
  checkEventCursor,
  checkExpectedVersions,
  checkLimit,
  checkTtlSeconds,
  checkUserId,
  defaultSessionLimits,
  type SessionLimits,
} from './session-rules.js';
import { SESSION_LIMIT_POLICIES, type SessionLimit, type SessionLimitPolicy } from './session-limit.js';
import type { EventPage, SessionEvent, SessionEventLog } from './session-events.js';
import { evictedBy, type DeleteOptions, type Page, type PageRequest, type SessionStore } from './session-store.js';
import { webCryptoSha256, type Sha256 } from './sha256.js';
import { defaultTtlPolicy, expiryAtCreation, type TtlPolicy } from './ttl-policy.js';
import { SessionWriteQueue } from './write-queue.js';
import { defaultRetryPolicy, retryDelays, timerSleep, type RetryPolicy, type Sleep } from './write-retry.js';

/** What a caller sends to create a session. */
export interface CreateSessionInput {
  /** Whose session it is; absent for an anonymous session. */
  readonly userId?: string | undefined;
  /**
   * The caller's own token (22 to 256 of `[A-Za-z0-9_-]`, e.g. an express-session sid); the
   * service issues one when absent. Either way only its hash is stored.
   */
  readonly token?: string | undefined;
  readonly data?: JsonObject | undefined;
  /** Its own lifetime, within the policy's maximum; the policy default otherwise. */
  readonly ttlSeconds?: number | undefined;
  /** Where and how it is started; checked by `checkContext` (`authenticatedAt` in epoch ms). */
  readonly context?: SessionContext | undefined;
}

/**
 * Options of a read: with `maxAuthAgeSeconds`, the session counts only if its user authenticated
 * at most that long ago (`ReauthenticationRequiredError` otherwise, and when it never said when).
 */
export interface ReadOptions {
  readonly maxAuthAgeSeconds?: number | undefined;
}

/**
 * Options of a write: `expectedVersion` makes it conditional (HTTP `If-Match`). A list means any
 * of these versions (`If-Match: "1", "2"`).
 */
export interface WriteOptions {
  readonly expectedVersion?: number | readonly number[] | undefined;
}

/** What a rotation asks for besides a new handle and token. */
export interface RotateSessionOptions extends WriteOptions {
  /**
   * Binds an anonymous session to this user (a login: the session moves into the user's home).
   * The session's own user is fine; another user's session is `UserMismatchError`.
   */
  readonly userId?: string | undefined;
  /** How long the old token still resolves, to the new session (0 to 60 s; default 0: it stops at once). */
  readonly graceSeconds?: number | undefined;
  /**
   * The device context as of the rotation (a login: when and how the user authenticated): the
   * fields given replace the session's own, the others are carried over.
   */
  readonly context?: SessionContext | undefined;
}

/**
 * Which page to read: at most `limit` sessions (1..1000, default 100) and `limits.maxPageBytes`
 * of their data (4 MiB) after `cursor`, which must come from the same listing.
 */
export interface PageOptions {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Which events to read: at most `limit` (1..1000, default 100) after `after` (from the oldest kept when absent). */
export interface EventReadOptions {
  readonly after?: string | undefined;
  readonly limit?: number | undefined;
}

/**
 * Where `events()` starts (after `after`, or from the oldest event kept; pass `eventsTail()` to
 * see only what happens from now on) and when it stops (`signal` aborted: the iterator ends).
 */
export interface EventStreamOptions {
  readonly after?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** How long `events()` waits before asking the log again when nothing new was recorded. */
export const EVENT_POLL_INTERVAL_DEFAULT_MS = 200;
/** How many expired sessions one `sweepExpired` claims at most unless told. */
export const SWEEP_BUDGET_DEFAULT = 1000;

/** Everything the service is built from; only the store is required. */
export interface SessionServiceOptions {
  readonly store: SessionStore;
  readonly clock?: Clock;
  /** Where the secrets of issued tokens come from. */
  readonly secrets?: SecretGenerator;
  /** How tokens and user ids are hashed (Web Crypto's SHA-256 unless given; Node's is faster). */
  readonly sha256?: Sha256;
  readonly policy?: Partial<TtlPolicy>;
  readonly limits?: Partial<SessionLimits>;
  /** How long a write that keeps losing races to other writes waits and retries. */
  readonly retry?: Partial<RetryPolicy>;
  /** How the service waits between those attempts (tests pass one that does not wait). */
  readonly sleep?: Sleep;
  /** The most live sessions one user may hold (a whole number ≥ 1); no cap when absent. */
  readonly maxSessionsPerUser?: number | undefined;
  /** What a create past `maxSessionsPerUser` does (default `evict-oldest`). */
  readonly sessionLimitPolicy?: SessionLimitPolicy | undefined;
  /** How long `events()` waits between reads of an idle log (default `EVENT_POLL_INTERVAL_DEFAULT_MS`). */
  readonly eventPollIntervalMs?: number | undefined;
}

// Secrets are random: a clash means a broken generator, and retrying a few times proves it.
const CREATE_ATTEMPTS = 3;
// Homes of recent users kept, so a user's creates and logins hash their id once, not each time.
const KNOWN_HOMES = 1024;

/**
 * The session use cases. It validates input, decides every time and version, and talks to the
 * store through the port only; it has no I/O of its own.
 */
export class SessionService {
  readonly #store: SessionStore;
  readonly #clock: Clock;
  readonly #secrets: SecretGenerator;
  readonly #sha256: Sha256;
  readonly #sleep: Sleep;
  readonly #writes = new SessionWriteQueue();
  /** The homes of up to `KNOWN_HOMES` users, the first seen going first (a home is a hash of the user id: it never changes). */
  readonly #homes = new Map<string, string>();
  /** How long a wait for events sleeps between reads of an idle log: `events()`'s, and a transport's long poll. */
  readonly eventPollIntervalMs: number;
  /** The lifetime rules in force. */
  readonly policy: TtlPolicy;
  /** The size rules in force. */
  readonly limits: SessionLimits;
  /** How writes that lose races wait and retry. */
  readonly retry: RetryPolicy;
  /** The cap on each user's live sessions, when there is one. */
  readonly sessionLimit: SessionLimit | undefined;

  /** The clock the service reads `now` from (its option, or the system's), for callers applying its rules without a store call. */
  get clock(): Clock {
    return this.#clock;
  }

  constructor(options: SessionServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#secrets = options.secrets ?? randomSecretGenerator;
    this.#sha256 = options.sha256 ?? webCryptoSha256;
    this.#sleep = options.sleep ?? timerSleep;
    this.policy = { ...defaultTtlPolicy, ...options.policy };
    this.limits = { ...defaultSessionLimits, ...options.limits };
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.sessionLimit = sessionLimitOf(options);
    this.eventPollIntervalMs = checkPollInterval(options.eventPollIntervalMs);
  }

  /**
   * Starts a session, for a user or anonymous, and answers it with its token: the only time the
   * token is seen. With the caller's own `token`, a token already in use is `TokenTakenError`.
   * Under the session cap, a user's create evicts (the answer's `evicted` names them) or, with
   * policy `reject`, is `SessionLimitError`.
   */
  async create(input: CreateSessionInput): Promise<CreatedSession> {
    const userId = input.userId === undefined ? undefined : checkUserId(input.userId);
    const data = checkData(input.data ?? {}, this.limits);
    const ttl = input.ttlSeconds === undefined ? this.policy.defaultTtl : checkTtlSeconds(input.ttlSeconds, this.policy.maxTtl);
    if (input.token !== undefined && !isCallerToken(input.token)) {
      throw new InvalidInputError('token', 'must be 22 to 256 characters of A-Z, a-z, 0-9, - and _');
    }
    const context = checkContext(input.context, this.#clock.now());
    const home = userId === undefined ? undefined : (this.#homes.get(userId) ?? (await this.#userHome(userId)));
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const token = input.token ?? (home === undefined ? await this.#anonymousToken() : issuedToken(home, this.#secrets.next()));
      const { handle, alias } = await placeToken(token, home, this.#sha256);
      const now = this.#clock.now();
      const session = plainSession(
        {
          id: handle,
          userId,
          createdAt: now,
          updatedAt: now,
          lastActiveAt: now,
          expiresAt: expiryAtCreation(this.policy, now, ttl),
          version: 1,
          ttl,
          context,
        },
        data,
      );
      const limit = userId === undefined ? undefined : this.sessionLimit;
      const outcome = await this.#store.create(session, now, { alias, limit });
      const evicted = evictedBy(outcome);
      if (evicted !== undefined) return withToken(session, token, evicted);
      if (outcome === 'refused') throw new SessionLimitError(limit?.max ?? 0);
      if (input.token !== undefined) throw new TokenTakenError();
    }
    throw new StoreUnavailableError('could not allocate a free session token');
  }

  /** Reads a live session by its handle (recently authenticated, with `maxAuthAgeSeconds`). */
  async get(id: string, options: ReadOptions = {}): Promise<Session> {
    const maxAuthAge = options.maxAuthAgeSeconds === undefined ? undefined : checkMaxAuthAgeSeconds(options.maxAuthAgeSeconds);
    if (!isSessionHandle(id)) throw new SessionNotFoundError();
    const now = this.#clock.now();
    const session = await this.#store.get(id, now);
    if (session === undefined) throw new SessionNotFoundError();
    if (maxAuthAge !== undefined) requireFreshAuthentication(session.context, maxAuthAge, now);
    return session;
  }

  /**
   * The live session a token names: one store lookup by the token's hash. An unknown, wrong or
   * expired token, or text that is no token, is `SessionNotFoundError`, all alike. With
   * `maxAuthAgeSeconds`, as for `get`.
   */
  async resolve(token: string, options: ReadOptions = {}): Promise<Session> {
    const maxAuthAge = options.maxAuthAgeSeconds === undefined ? undefined : checkMaxAuthAgeSeconds(options.maxAuthAgeSeconds);
    const handle = await lookupHandle(token, this.#sha256);
    if (handle === undefined) throw new SessionNotFoundError();
    const now = this.#clock.now();
    const session = await this.#store.resolve(handle, now);
    if (session === undefined) throw new SessionNotFoundError();
    if (maxAuthAge !== undefined) requireFreshAuthentication(session.context, maxAuthAge, now);
    return session;
  }

  /** Replaces a session's data: one store call, with or without one expected version. */
  async replace(id: string, data: JsonObject, options: WriteOptions = {}): Promise<Session> {
    const checked = checkData(data, this.limits);
    return this.#change(id, options, () => ({ data: checked, cause: 'replace', slide: this.policy.slidingExpiration }));
  }

  /** Merges `patch` into a session's data by RFC 7386; concurrent merges are never lost. */
  async patch(id: string, patch: JsonObject, options: WriteOptions = {}): Promise<Session> {
    checkData(patch, this.limits);
    if (!isSessionHandle(id)) throw new SessionNotFoundError();
    const expected = checkExpectedVersions(options.expectedVersion);
    // A merge needs what is stored: read, merge here, write on the version read.
    return this.#untilWritten(id, expected, (current, now) =>
      this.#store.update(
        id,
        this.#changeOf({
          data: checkData(applyMergePatch(current.data, patch), this.limits),
          cause: 'patch',
          expectedVersion: current.version,
          slide: this.policy.slidingExpiration,
        }),
        now,
      ),
    );
  }

  /**
   * Extends a session's life by its ttl, up to the absolute timeout: one store call. Within
   * `policy.touchInterval` of its `lastActiveAt` it answers the session unchanged, and the store
   * writes nothing (see `isThrottled`).
   */
  refresh(id: string, options: WriteOptions = {}): Promise<Session> {
    return this.#change(id, options, () => ({ slide: true, touchInterval: this.policy.touchInterval }));
  }

  /**
   * Gives a session a new handle and token (OWASP: on every privilege change, and so on login),
   * keeping its data, its `createdAt` (the absolute timeout still counts from the first creation)
   * and its ttl; the version goes on (+1) and the deadline moves as a write moves it. The old handle
   * stops at once for `get` and every write; the old token resolves to the new session for
   * `graceSeconds` (requests in flight), never past the new session's life. With `userId`, an
   * anonymous session is bound to that user, and counts against the session cap as a create does
   * (the answer's `evicted` names what it ended; under `reject`, `SessionLimitError`, and the
   * session stays as it was). Answers the new session with its token. A write
   * racing the rotation is either carried over (it landed first) or refused (404): never lost.
   */
  async rotate(id: string, options: RotateSessionOptions = {}): Promise<CreatedSession> {
    if (!isSessionHandle(id)) throw new SessionNotFoundError();
    const userId = options.userId === undefined ? undefined : checkUserId(options.userId);
    const graceMs = checkGraceSeconds(options.graceSeconds) * 1000;
    const expected = checkExpectedVersions(options.expectedVersion);
    const given = checkContext(options.context, this.#clock.now());
    return this.#untilWritten(id, expected, async (current, now) => {
      if (userId !== undefined && current.userId !== undefined && current.userId !== userId) throw new UserMismatchError();
      const context = given === undefined ? current.context : { ...current.context, ...given };
      const owner = userId ?? current.userId;
      // A user's sessions live in the user's home; an anonymous one keeps its home (one slot).
      const home = owner === undefined ? homeOf(current.id) : (this.#homes.get(owner) ?? (await this.#userHome(owner)));
      for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
        const token = issuedToken(home, this.#secrets.next());
        const { handle } = await placeToken(token, home, this.#sha256);
        const rotated = rotatedSession(current, handle, owner, this.#changeOf({ slide: this.policy.slidingExpiration }), now);
        const next = context === undefined ? rotated : { ...rotated, context };
        // A login counts against the cap as a create does (a rotation within a user too: the store
        // never counts the session rotated, so it only evicts where the user is already past the cap).
        const limit = owner === undefined ? undefined : this.sessionLimit;
        const outcome = await this.#store.rotate(id, next, now, { graceUntil: rotationGraceEnd(next, now, graceMs), limit });
        if (outcome === 'exists') continue;
        if (outcome === 'refused') throw new SessionLimitError(limit?.max ?? 0);
        return typeof outcome === 'string' ? outcome : withToken(outcome.session, token, outcome.evicted);
      }
      throw new StoreUnavailableError('could not allocate a free session token');
    });
  }

  /**
   * Ends a session; with `expectedVersion`, only while it is at one of those versions. `alias`:
   * the handle of the caller-chosen token the caller ended it with (`lookupHandle`), a hint that
   * lets a store remove the session's alias in the same round trip (see `DeleteOptions`).
   */
  async delete(id: string, options: WriteOptions & DeleteOptions = {}): Promise<void> {
    if (!isSessionHandle(id)) throw new SessionNotFoundError();
    const expected = checkExpectedVersions(options.expectedVersion);
    const hint = options.alias !== undefined && isSessionHandle(options.alias) ? { alias: options.alias } : undefined;
    // With no version or exactly one, the store checks it within its one atomic call.
    if (expected === undefined || expected.length === 1) {
      const outcome = await this.#store.delete(id, this.#clock.now(), expected?.[0], hint);
      if (outcome === 'deleted') return;
      if (outcome === 'missing') throw new SessionNotFoundError();
    }
    // A list (or a refusal to explain): read the version, check it is one of the list, and
    // delete on exactly that version, so a write in between is never deleted unseen.
    await this.#untilWritten(id, expected, (current, now) => this.#store.delete(id, now, current.version, hint));
  }

  /** A page of all live sessions. */
  async list(options: PageOptions = {}): Promise<Page> {
    return this.#store.list(this.#pageRequest(options), this.#clock.now());
  }

  /** A page of one user's live sessions. */
  async listByUser(userId: string, options: PageOptions = {}): Promise<Page> {
    const checked = checkUserId(userId);
    return this.#store.listByUser(checked, this.#pageRequest(options), this.#clock.now());
  }

  /**
   * Ends every session of a user (log out everywhere), or all but the one with handle `except`
   * (log out other devices); returns how many were live.
   */
  async deleteByUser(userId: string, options: { readonly except?: string | undefined } = {}): Promise<number> {
    const checked = checkUserId(userId);
    if (options.except !== undefined && !isSessionHandle(options.except)) throw new InvalidInputError('except', 'must be a session handle');
    return this.#store.deleteByUser(checked, this.#clock.now(), options.except);
  }

  /** How many of a user's sessions are live (one store call). */
  async countByUser(userId: string): Promise<number> {
    return this.#store.countByUser(checkUserId(userId), this.#clock.now());
  }

  /**
   * Up to `limit` lifecycle events after `after`, in order, with the cursor to read on from.
   * `EventsDisabledError` when the store records none; `InvalidInputError('cursor')` for a
   * cursor this log did not issue.
   */
  async readEvents(options: EventReadOptions = {}): Promise<EventPage> {
    const log = this.#eventLog();
    return log.read(checkEventCursor(options.after), checkLimit(options.limit), this.#clock.now());
  }

  /** The cursor at the end of the event log now: reading after it yields only later events. */
  async eventsTail(): Promise<string> {
    return this.#eventLog().tail(this.#clock.now());
  }

  /**
   * Every event after `options.after`, as it is recorded: reads the log, and while nothing new
   * is there, waits `eventPollIntervalMs` and reads again, until `options.signal` aborts.
   */
  async *events(options: EventStreamOptions = {}): AsyncGenerator<SessionEvent, void, undefined> {
    const log = this.#eventLog();
    const { signal } = options;
    let cursor = checkEventCursor(options.after);
    const aborted = abortOf(signal);
    const stopped = (): boolean => signal?.aborted === true;
    while (!stopped()) {
      const page = await log.read(cursor, EVENT_STREAM_BATCH, this.#clock.now());
      cursor = page.cursor;
      for (const event of page.events) {
        if (stopped()) return;
        yield event;
      }
      if (page.events.length === 0) await Promise.race([this.#sleep(this.eventPollIntervalMs), aborted]);
    }
  }

  /**
   * Claims up to `budget` expired sessions from the store's expiry index and records one
   * `session.expired` for each (a sweeper's step; see `SessionEventLog.sweepExpired`); answers
   * how many it claimed. Safe to run in every process at once.
   */
  async sweepExpired(budget: number = SWEEP_BUDGET_DEFAULT): Promise<number> {
    if (!Number.isSafeInteger(budget) || budget < 1) throw new InvalidInputError('budget', 'must be a whole number of at least 1');
    return this.#eventLog().sweepExpired(this.#clock.now(), budget);
  }

  /** Resolves when the store answers; throws `StoreUnavailableError` when it does not. */
  ready(): Promise<void> {
    return this.#store.ping();
  }

  #eventLog(): SessionEventLog {
    const log = this.#store.events;
    if (log === undefined) throw new EventsDisabledError();
    return log;
  }

  #pageRequest(options: PageOptions): PageRequest {
    return {
      limit: checkLimit(options.limit),
      cursor: checkCursor(options.cursor),
      // Undefined only when a caller's limits unset it: fillPage then applies the default.
      maxBytes: this.limits.maxPageBytes,
    };
  }

  /** The home of a user's sessions, kept among `KNOWN_HOMES` (the one kept longest goes first). */
  async #userHome(userId: string): Promise<string> {
    const home = await userHome(userId, this.#sha256);
    if (this.#homes.size >= KNOWN_HOMES) this.#homes.delete(this.#homes.keys().next().value!);
    this.#homes.set(userId, home);
    return home;
  }

  /** A token for a new anonymous session: its home is a hash of its secret, so anonymous sessions spread. */
  async #anonymousToken(): Promise<string> {
    const secret = this.#secrets.next();
    return issuedToken(await anonymousHome(secret, this.#sha256), secret);
  }

  /**
   * Every change the core hands a store: one literal of every field (absent ones undefined), the
   * policy's absolute timeout in it, never spreads of optional parts, so each write has the same
   * object shape and its readers (the store, events) stay fast.
   */
  #changeOf(fields: Omit<SessionChange, 'absoluteTimeout'>): SessionChange {
    return {
      data: fields.data,
      cause: fields.cause,
      expectedVersion: fields.expectedVersion,
      slide: fields.slide,
      absoluteTimeout: this.policy.absoluteTimeout,
      touchInterval: fields.touchInterval,
    };
  }

  /**
   * A change the store applies by itself: with no expected version or exactly one, one store
   * call; with a list of versions (If-Match: "1", "2"), read, check, and write on the version read.
   */
  async #change(
    id: string,
    options: WriteOptions,
    change: () => Omit<SessionChange, 'absoluteTimeout' | 'expectedVersion'>,
  ): Promise<Session> {
    if (!isSessionHandle(id)) throw new SessionNotFoundError();
    const expected = checkExpectedVersions(options.expectedVersion);
    const { data, cause, slide, touchInterval } = change();
    const write = this.#changeOf({ data, cause, expectedVersion: expected?.length === 1 ? expected[0] : undefined, slide, touchInterval });
    if (expected === undefined || expected.length === 1) {
      const outcome = await this.#writes.run(id, () => this.#store.update(id, write, this.#clock.now()));
      if (outcome === 'missing') throw new SessionNotFoundError();
      if (outcome !== 'conflict') return outcome;
      // A conflict on one version: read, so that the error says which version it is at.
    }
    return this.#untilWritten(id, expected, (current, now) =>
      this.#store.update(id, this.#changeOf({ data, cause, expectedVersion: current.version, slide, touchInterval }), now),
    );
  }

  /**
   * Reads the session, checks it is at one of the `expected` versions (any, when undefined) and
   * hands it to `write`, which writes conditionally on the version read. Losing a race to
   * another write means waiting a little and reading again: with `expected`, the new version is
   * checked against it again, so If-Match still holds; without, the change is applied again to
   * what won. So a write without `expected` never ends in a conflict: when it keeps losing
   * for the whole retry budget, the store is too busy and it ends in `StoreUnavailableError`.
   * This process's writes to one session take turns (see {@link SessionWriteQueue}), so the
   * races left are with other processes.
   */
  #untilWritten<T>(
    id: string,
    expected: readonly number[] | undefined,
    write: (current: Session, now: number) => Promise<T | 'conflict' | 'missing'>,
  ): Promise<T> {
    return this.#writes.run(id, async () => {
      const delays = retryDelays(this.retry);
      for (;;) {
        const now = this.#clock.now();
        const current = await this.#store.get(id, now);
        if (current === undefined) throw new SessionNotFoundError();
        if (expected !== undefined && !expected.includes(current.version)) throw new VersionConflictError(unlisted(expected), current.version);
        const result = await write(current, now);
        if (result === 'missing') throw new SessionNotFoundError();
        if (result !== 'conflict') return result;
        const delay = delays.next();
        if (delay.done) throw new StoreUnavailableError('too many concurrent writes to this session; try again shortly');
        await this.#sleep(delay.value);
      }
    });
  }
}

/** Checks a rotation's grace in whole seconds, 0 to 60; absent is 0. */
function checkGraceSeconds(graceSeconds: unknown): number {
  if (graceSeconds === undefined) return 0;
  if (typeof graceSeconds !== 'number' || !Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > ROTATION_GRACE_MAX_SECONDS) {
    throw new InvalidInputError('graceSeconds', `must be a whole number from 0 to ${ROTATION_GRACE_MAX_SECONDS}`);
  }
  return graceSeconds;
}

// What one read of `events()` asks for: a page's most, so a backlog is caught up in few reads.
const EVENT_STREAM_BATCH = 1000;

/** A promise that settles when `signal` aborts (never, without one), for waits to race. */
function abortOf(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Checks `eventPollIntervalMs`: a whole number of ms, at least 1; absent is the default. */
function checkPollInterval(ms: number | undefined): number {
  if (ms === undefined) return EVENT_POLL_INTERVAL_DEFAULT_MS;
  if (!Number.isSafeInteger(ms) || ms < 1) throw new InvalidInputError('eventPollIntervalMs', 'must be a whole number of at least 1');
  return ms;
}

/** One expected version as a number, several as the list: how errors name them. */
function unlisted(expected: readonly number[]): number | readonly number[] {
  return expected.length === 1 ? expected[0]! : expected;
}

/** The cap the options ask for, checked; `undefined` for none. */
function sessionLimitOf(options: SessionServiceOptions): SessionLimit | undefined {
  const policy = options.sessionLimitPolicy ?? 'evict-oldest';
  if (!SESSION_LIMIT_POLICIES.includes(policy)) {
    throw new InvalidInputError('sessionLimitPolicy', `must be one of ${SESSION_LIMIT_POLICIES.join(', ')}`);
  }
  const max = options.maxSessionsPerUser;
  if (max === undefined) return undefined;
  if (!Number.isSafeInteger(max) || max < 1) throw new InvalidInputError('maxSessionsPerUser', 'must be a whole number of at least 1');
  return { max, policy };
}

/** Builds the session service over a store; the library's front door. */
export function createSessionService(options: SessionServiceOptions): SessionService {
  return new SessionService(options);
}
