import type { Session } from './session.js';
import type { SessionChange } from './session-change.js';
import type { SessionEventLog } from './session-events.js';
import type { SessionLimit } from './session-limit.js';

/** Which page of a listing to read. */
export interface PageRequest {
  /** How many sessions at most (the core keeps it within 1..1000). */
  readonly limit: number;
  /** The `nextCursor` of the previous page of the same listing; absent for the first page. */
  readonly cursor?: string | undefined;
  /**
   * The most bytes of session data a page may hold (UTF-8 JSON text of each `data`); a page
   * always holds at least one session when one follows. Absent means 4 MiB
   * (`PAGE_MAX_BYTES_DEFAULT`). Stores apply it through `fillPage`.
   */
  readonly maxBytes?: number | undefined;
}

/** One page of a listing. */
export interface Page {
  readonly sessions: readonly Session[];
  /**
   * Opaque; `null` when the listing is over. Since pages may be short, a cursor may also lead
   * only to empty pages (a store that stopped in a backlog of expired entries cannot know).
   */
  readonly nextCursor: string | null;
}

/** Options of `create`. */
export interface CreateOptions {
  /** A second handle that resolves to the session for as long as it lives (a caller's token; see session-handle.ts). */
  readonly alias?: string | undefined;
  /**
   * The cap on the live sessions of the session's user (ignored for an anonymous session). A create
   * that would take the user past `max` evicts, in the same atomic operation, exactly the sessions
   * `evictionsFor` names (the user's other live sessions in `evictionOrder`), or with `reject` is
   * refused and writes nothing.
   */
  readonly limit?: SessionLimit | undefined;
}

/**
 * What a create did: `created` (nothing evicted), `{ evicted }` (created, and these handles of the
 * user's sessions ended to make room, in eviction order), `exists` (the handle or alias is taken;
 * nothing evicted), or `refused` (the limit, under `reject`; nothing written).
 */
export type CreateOutcome = 'created' | 'exists' | 'refused' | { readonly evicted: readonly string[] };

/** The handles a create evicted (none for `created`), or `undefined` when it created nothing. */
export function evictedBy(outcome: CreateOutcome): readonly string[] | undefined {
  if (outcome === 'created') return [];
  return typeof outcome === 'object' ? outcome.evicted : undefined;
}

/** A rotation that happened: the session as written, and the user's sessions the cap evicted for it. */
export interface Rotated {
  readonly session: Session;
  /** Handles ended to make room under `RotateOptions.limit`, in eviction order (usually none). */
  readonly evicted: readonly string[];
}

/**
 * What a rotation did: `Rotated`, or why nothing was written (see `SessionStore.rotate`);
 * `refused` only under a `reject` limit.
 */
export type RotateOutcome = Rotated | 'missing' | 'conflict' | 'exists' | 'refused';

/** How a rotation treats the old handle. */
export interface RotateOptions {
  /**
   * Until when (epoch ms, exclusive) the old handle resolves to the new session: the core's
   * `rotationGraceEnd`, never past `next.expiresAt`. At or before `now`, it stops at once.
   */
  readonly graceUntil: number;
  /**
   * The cap on the live sessions of `next`'s user (ignored for an anonymous session), checked in
   * the same step as the rotation: the user's live sessions other than the old one, plus `next`,
   * stay within `max`, by evicting exactly what `evictionsFor` names of those others, or under
   * `reject` the rotation is `refused` and writes nothing. A user's own rotation replaces one of
   * their sessions, so it evicts only when the user is already over a lowered cap.
   */
  readonly limit?: SessionLimit | undefined;
}

/** Options of `delete`. */
export interface DeleteOptions {
  /**
   * The alias the caller expects the session to have: the handle its caller-chosen token names
   * by itself (`lookupHandle`), when the caller holds that token. A hint only, for a store that
   * keeps aliases apart (Redis: it removes the alias in the same round trip as the session);
   * whatever it says, the store removes exactly the session's own alias, as without it.
   */
  readonly alias?: string | undefined;
}

/** What a delete did: `conflict` only when it named a version the live session is not at. */
export type DeleteOutcome = 'deleted' | 'conflict' | 'missing';

/**
 * The storage port. Every method is ONE atomic operation in the store (one Lua script, one
 * conditional write), so a crash between calls never leaves a half-written session; the one
 * exception a store may make is an alias (see `create`), which lives in another place and is
 * written first and removed last, so a crash between leaves at most an alias that names nothing.
 *
 * Sessions are named by handles (`<home>.<digest>`, see session-handle.ts): all sessions of one
 * user share a home, so a store that keeps a home together makes every per-user operation
 * atomic. Stores never see tokens.
 *
 * The core owns time: `now` is passed to every call, and a session whose `expiresAt <= now`
 * must behave exactly as if it did not exist, whatever the store's native expiry has done yet.
 * Stores reclaim expired sessions through their own index (no timers, no keyspace
 * notifications), and nothing a session put in the store outlives it. Stores throw
 * `StoreUnavailableError` when they cannot answer and `InvalidInputError('cursor')` for a cursor
 * that the same listing (everyone's, or that user's) did not issue; they never read a clock.
 */
export interface SessionStore {
  /**
   * Writes a new session unless its handle is taken (by a live session, or as an alias of one).
   * With `options.alias`, a second handle resolves to this session for as long as it lives;
   * `exists` too when the alias is taken (by a session or as an alias). With `options.limit`, the
   * user's cap holds atomically: evicted sessions are gone (with their aliases) when it answers,
   * and a store counts only live sessions (see {@link CreateOptions}).
   */
  create(session: Session, now: number, options?: CreateOptions): Promise<CreateOutcome>;
  /**
   * Moves the live session at `oldId` to `next` (its new handle, built by the core from the
   * session at version `next.version - 1`), in one step as far as any reader can tell: the old
   * session goes (its alias with it) and `next` is written with no alias of its own; until
   * `options.graceUntil`, `oldId` is an alias of `next` (`resolve` follows it, `get` never does,
   * and it goes when `next` goes). Answers `next` as written; `missing` when the old session is
   * not live, `conflict` when it is at another version than `next.version - 1`, `exists` when
   * `next.id` is taken (as `create` says); nothing changes then. At no instant are both sessions
   * live, or neither (see each store's notes for how a store with no multi-key transaction
   * keeps that). With `options.limit`, the cap holds as for `create`.
   */
  rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome>;
  /** The live session with this handle, or `undefined`. Aliases are not followed. */
  get(id: string, now: number): Promise<Session | undefined>;
  /** The live session with this handle, or the one this handle is an alias of, or `undefined`. */
  resolve(handle: string, now: number): Promise<Session | undefined>;
  /**
   * Applies `change` to the live session in one atomic step, exactly as `applyChange` says, and
   * answers the session written; `conflict` when `change.expectedVersion` is given and the session
   * is at another version, `missing` when it is not live.
   */
  update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'>;
  /**
   * Removes the session (and its alias) if it is live and, when `expectedVersion` is given, at
   * that version. Answers `missing` for a session that is not live. `options.alias` is a hint
   * (see {@link DeleteOptions}).
   */
  delete(id: string, now: number, expectedVersion?: number, options?: DeleteOptions): Promise<DeleteOutcome>;
  /**
   * A page of all live sessions. Paging yields each session that stays live throughout exactly
   * once, whatever is written meanwhile (so the order must not move when a session is written).
   * A page may hold fewer than `limit` sessions (even none) with a `nextCursor`, so that no page
   * walks an unbounded backlog of expired entries.
   */
  list(page: PageRequest, now: number): Promise<Page>;
  /** A page of one user's live sessions, with the same guarantees. */
  listByUser(userId: string, page: PageRequest, now: number): Promise<Page>;
  /**
   * Removes all of a user's sessions but `except` (a handle; log out other devices); returns how
   * many were live. A store may do it in batches (each atomic) so no single operation blocks the
   * store for long.
   */
  deleteByUser(userId: string, now: number, except?: string): Promise<number>;
  /** How many of a user's sessions are live. A store may count in batches, as `deleteByUser` deletes. */
  countByUser(userId: string, now: number): Promise<number>;
  /** Resolves when the store can serve requests; throws `StoreUnavailableError` otherwise. */
  ping(): Promise<void>;
  /**
   * The store's event log, when it was built to record events (see session-events.ts). Then every
   * change above records its events in the same atomic operation: `create` a `session.created`
   * (and a `session.deleted` reason `evicted` per eviction), `update` a `session.updated` (reason
   * `change.cause`, `replace` when absent) or a `session.refreshed` when only the deadline moved,
   * `rotate` `session.rotated` plus the old handle's `session.deleted` reason `rotated`, `delete`
   * reason `logout`, `deleteByUser` reason `logout-everywhere` (`logout-others` with `except`), and
   * whatever reclaims an expired session (a sweep, a create, a listing, a write over its handle)
   * its one `session.expired`. A refused, conflicting or missing write records nothing.
   */
  readonly events?: SessionEventLog | undefined;
}
