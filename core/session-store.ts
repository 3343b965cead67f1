import type { Session } from './session.js';

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
  /** Opaque; `null` when no live session follows this page. */
  readonly nextCursor: string | null;
}

/** What a conditional write did. */
export type WriteOutcome = 'written' | 'conflict' | 'missing';

/** What a delete did: `conflict` only when it named a version the live session is not at. */
export type DeleteOutcome = 'deleted' | 'conflict' | 'missing';

/** The new expiry of a refresh, and the version it was computed from. */
export interface RefreshChange {
  readonly expectedVersion: number;
  readonly expiresAt: number;
  readonly updatedAt: number;
}

/**
 * The storage port. Every method is ONE atomic operation in the store (one Lua script, one
 * conditional write), so a crash between calls never leaves a half-written session.
 *
 * The core owns time: `now` is passed to every call, and a session whose `expiresAt <= now`
 * must behave exactly as if it did not exist, whatever the store's native expiry has done yet.
 * Stores throw `StoreUnavailableError` when they cannot answer and `InvalidInputError('cursor')`
 * for a cursor that the same listing (everyone's, or that user's) did not issue; they never
 * read a clock.
 */
export interface SessionStore {
  /** Writes a new session unless its id is taken (by a live or an expired session). */
  create(session: Session, now: number): Promise<'created' | 'exists'>;
  /** The live session with this id, or `undefined`. */
  get(id: string, now: number): Promise<Session | undefined>;
  /**
   * Writes `session` (same id and user, `version === expectedVersion + 1`) if the stored one is
   * live and at `expectedVersion`.
   */
  replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome>;
  /** Sets `expiresAt` and `updatedAt`, bumps the version, if live and at `expectedVersion`. */
  refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome>;
  /**
   * Removes the session if it is live and, when `expectedVersion` is given, at that version.
   * Answers `missing` for a session that is not live (an expired one may be removed all the same).
   */
  delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome>;
  /**
   * A page of all live sessions. Paging yields each session that stays live throughout exactly
   * once, whatever is written meanwhile (so the order must not move when a session is written).
   */
  list(page: PageRequest, now: number): Promise<Page>;
  /** A page of one user's live sessions, with the same guarantees. */
  listByUser(userId: string, page: PageRequest, now: number): Promise<Page>;
  /** Removes all of a user's sessions; returns how many were live. */
  deleteByUser(userId: string, now: number): Promise<number>;
  /** Resolves when the store can serve requests; throws `StoreUnavailableError` otherwise. */
  ping(): Promise<void>;
}
