import { systemClock, type Clock } from './clock.js';
import { SessionNotFoundError, StoreUnavailableError, VersionConflictError } from './errors.js';
import { isSessionId, randomUuidGenerator, type IdGenerator } from './id-generator.js';
import type { JsonObject } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import type { Session } from './session.js';
import {
  checkCursor,
  checkData,
  checkLimit,
  checkTtlSeconds,
  checkUserId,
  checkVersion,
  defaultSessionLimits,
  PAGE_MAX_BYTES_DEFAULT,
  type SessionLimits,
} from './session-rules.js';
import type { Page, PageRequest, SessionStore, WriteOutcome } from './session-store.js';
import { defaultTtlPolicy, expiryAfterRefresh, expiryAfterWrite, expiryAtCreation, type TtlPolicy } from './ttl-policy.js';

/** What a caller sends to create a session. */
export interface CreateSessionInput {
  readonly userId: string;
  readonly data?: JsonObject | undefined;
  /** Its own lifetime, within the policy's maximum; the policy default otherwise. */
  readonly ttlSeconds?: number | undefined;
}

/** Options of a write: `expectedVersion` makes it conditional (HTTP `If-Match`). */
export interface WriteOptions {
  readonly expectedVersion?: number | undefined;
}

/**
 * Which page to read: at most `limit` sessions (1..1000, default 100) and `limits.maxPageBytes`
 * of their data (4 MiB) after `cursor`, which must come from the same listing.
 */
export interface PageOptions {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Everything the service is built from; only the store is required. */
export interface SessionServiceOptions {
  readonly store: SessionStore;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly policy?: Partial<TtlPolicy>;
  readonly limits?: Partial<SessionLimits>;
  /**
   * How often a write without `expectedVersion` re-reads and retries after losing a race.
   * Each lost race means another write won, so this bounds work, not correctness.
   */
  readonly maxWriteAttempts?: number;
}

// Ids are random: a clash means a broken generator, and retrying a few times proves it.
const CREATE_ATTEMPTS = 3;

/**
 * The session use cases. It validates input, decides every time and version, and talks to the
 * store through the port only; it has no I/O of its own.
 */
export class SessionService {
  readonly #store: SessionStore;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #maxWriteAttempts: number;
  /** The lifetime rules in force. */
  readonly policy: TtlPolicy;
  /** The size rules in force. */
  readonly limits: SessionLimits;

  constructor(options: SessionServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#ids = options.ids ?? randomUuidGenerator;
    this.#maxWriteAttempts = options.maxWriteAttempts ?? 100;
    this.policy = { ...defaultTtlPolicy, ...options.policy };
    this.limits = { ...defaultSessionLimits, ...options.limits };
  }

  /** Starts a session for a user. */
  async create(input: CreateSessionInput): Promise<Session> {
    const userId = checkUserId(input.userId);
    const data = checkData(input.data ?? {}, this.limits);
    const ttl = input.ttlSeconds === undefined ? this.policy.defaultTtl : checkTtlSeconds(input.ttlSeconds, this.policy.maxTtl);
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const now = this.#clock.now();
      const session: Session = {
        id: this.#ids.next(),
        userId,
        data,
        createdAt: now,
        updatedAt: now,
        expiresAt: expiryAtCreation(this.policy, now, ttl),
        version: 1,
        ttl,
      };
      if ((await this.#store.create(session, now)) === 'created') return session;
    }
    throw new StoreUnavailableError('could not allocate a free session id');
  }

  /** Reads a live session. */
  async get(id: string): Promise<Session> {
    if (!isSessionId(id)) throw new SessionNotFoundError();
    const session = await this.#store.get(id, this.#clock.now());
    if (session === undefined) throw new SessionNotFoundError();
    return session;
  }

  /** Replaces a session's data. */
  async replace(id: string, data: JsonObject, options: WriteOptions = {}): Promise<Session> {
    const checked = checkData(data, this.limits);
    return this.#update(id, options, (current, now) => this.#withData(current, checked, now));
  }

  /** Merges `patch` into a session's data by RFC 7386; concurrent merges are never lost. */
  async patch(id: string, patch: JsonObject, options: WriteOptions = {}): Promise<Session> {
    checkData(patch, this.limits);
    return this.#update(id, options, (current, now) => {
      const merged = checkData(applyMergePatch(current.data, patch), this.limits);
      return this.#withData(current, merged, now);
    });
  }

  /** Extends a session's life by its ttl, up to the absolute timeout. */
  refresh(id: string, options: WriteOptions = {}): Promise<Session> {
    return this.#update(
      id,
      options,
      (current, now) => ({
        ...current,
        updatedAt: now,
        expiresAt: expiryAfterRefresh(this.policy, current, now),
        version: current.version + 1,
      }),
      (next, current, now) =>
        this.#store.refresh(
          next.id,
          { expectedVersion: current.version, expiresAt: next.expiresAt, updatedAt: next.updatedAt },
          now,
        ),
    );
  }

  /** Ends a session. */
  async delete(id: string): Promise<void> {
    if (!isSessionId(id)) throw new SessionNotFoundError();
    if (!(await this.#store.delete(id, this.#clock.now()))) throw new SessionNotFoundError();
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

  /** Ends every session of a user (log out everywhere); returns how many were live. */
  async deleteByUser(userId: string): Promise<number> {
    return this.#store.deleteByUser(checkUserId(userId), this.#clock.now());
  }

  /** Resolves when the store answers; throws `StoreUnavailableError` when it does not. */
  ready(): Promise<void> {
    return this.#store.ping();
  }

  #pageRequest(options: PageOptions): PageRequest {
    return {
      limit: checkLimit(options.limit),
      cursor: checkCursor(options.cursor),
      maxBytes: this.limits.maxPageBytes ?? PAGE_MAX_BYTES_DEFAULT,
    };
  }

  #withData(current: Session, data: JsonObject, now: number): Session {
    return {
      ...current,
      data,
      updatedAt: now,
      expiresAt: expiryAfterWrite(this.policy, current, now),
      version: current.version + 1,
    };
  }

  /**
   * Read, change, conditional write. With `expectedVersion` a moved version is the caller's
   * conflict; without it, losing a race means re-reading and applying the change again.
   */
  async #update(
    id: string,
    options: WriteOptions,
    change: (current: Session, now: number) => Session,
    write: (next: Session, current: Session, now: number) => Promise<WriteOutcome> = (next, current, now) =>
      this.#store.replace(next, current.version, now),
  ): Promise<Session> {
    if (!isSessionId(id)) throw new SessionNotFoundError();
    const expected = options.expectedVersion === undefined ? undefined : checkVersion(options.expectedVersion);
    let lastSeen = 0;
    for (let attempt = 0; attempt < this.#maxWriteAttempts; attempt++) {
      const now = this.#clock.now();
      const current = await this.#store.get(id, now);
      if (current === undefined) throw new SessionNotFoundError();
      if (expected !== undefined && current.version !== expected) throw new VersionConflictError(expected, current.version);
      lastSeen = current.version;
      const next = change(current, now);
      const outcome = await write(next, current, now);
      if (outcome === 'written') return next;
      if (outcome === 'missing') throw new SessionNotFoundError();
      if (expected !== undefined) throw new VersionConflictError(expected, undefined);
    }
    throw new VersionConflictError(lastSeen, undefined);
  }
}

/** Builds the session service over a store; the library's front door. */
export function createSessionService(options: SessionServiceOptions): SessionService {
  return new SessionService(options);
}
