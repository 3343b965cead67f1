/**
 * Lifecycle events (issue 15): what happened to a session, recorded by the store in the same
 * atomic operation as the change itself, so an event is never lost for a change that happened nor
 * recorded for one that did not. Events name the session by its handle and never carry its token
 * or its data.
 */

/** The kinds of event. */
export const SESSION_EVENT_TYPES = [
  'session.created',
  'session.updated',
  'session.refreshed',
  'session.rotated',
  'session.deleted',
  'session.expired',
] as const;

/** One kind of event. */
export type SessionEventType = (typeof SESSION_EVENT_TYPES)[number];

/**
 * Why a `session.updated` or `session.deleted` happened:
 * - `replace`, `patch`: which write made a `session.updated`;
 * - `logout`: DELETE by handle; `logout-everywhere` / `logout-others`: `deleteByUser` without or
 *   with `except`; `evicted`: the user's cap ended it for a create or a rotation; `rotated`: the
 *   old handle of a rotation (recorded with the rotation itself; `graceUntil` says until when the
 *   old token still resolves).
 */
export const SESSION_EVENT_REASONS = [
  'replace',
  'patch',
  'logout',
  'logout-everywhere',
  'logout-others',
  'evicted',
  'rotated',
] as const;

/** One reason. */
export type SessionEventReason = (typeof SESSION_EVENT_REASONS)[number];

/** The reasons of a `session.updated`: which write made it (`SessionChange.cause`). */
export type SessionUpdateCause = Extract<SessionEventReason, 'replace' | 'patch'>;

/**
 * One event. Which fields each type carries:
 * - every event: `id`, `type`, `time`, `sessionId`, `version`, `userId` when the session has one;
 * - `session.updated`: `reason` (`replace` | `patch`);
 * - `session.refreshed`: only when the refresh moved `expiresAt` (a throttled refresh, or one the
 *   absolute timeout holds where it was, records nothing);
 * - `session.rotated`: `sessionId` is the new handle, `previousId` the old one; it comes with a
 *   `session.deleted` (reason `rotated`, `graceUntil`) of the old handle in the same operation;
 * - `session.deleted`: `reason`;
 * - `session.expired`: `time` is the session's deadline (`expiresAt`), `recordedAt` when a
 *   sweeper (or any reclaiming) claimed it: `recordedAt - time` is the expiry lag.
 */
export interface SessionEvent {
  /** Unique within the store (a store's own sequence, e.g. `<partition>-<stream id>`). */
  readonly id: string;
  readonly type: SessionEventType;
  /** When it happened (epoch ms, the core's `now` of the change; the deadline for an expiry). */
  readonly time: number;
  /** When it was written, when that differs from `time` (only `session.expired`). */
  readonly recordedAt?: number | undefined;
  /** The session's handle (the new one for `session.rotated`). */
  readonly sessionId: string;
  readonly userId?: string | undefined;
  /** The session's version after the change (for a deletion or an expiry: the version it had). */
  readonly version: number;
  readonly reason?: SessionEventReason | undefined;
  /** `session.rotated`: the old handle. */
  readonly previousId?: string | undefined;
  /** `session.deleted` with reason `rotated`: until when the old token resolves (epoch ms, exclusive). */
  readonly graceUntil?: number | undefined;
}

/** A stretch of the log: events in order, and the cursor to read on from (never null: the log goes on). */
export interface EventPage {
  readonly events: readonly SessionEvent[];
  /** Opaque; pass it as `after` to read the events after these. */
  readonly cursor: string;
}

/**
 * A store's event log, present as `SessionStore.events` on a store built with events on (off by
 * default: recording costs a write per change). Order: the events of one session are read in the
 * order they happened; events of different sessions may interleave in any order consistent with
 * that. Events older than the store's retention may be gone.
 */
export interface SessionEventLog {
  /**
   * Up to `limit` events after `after` (from the oldest kept when `undefined`); fewer, even none,
   * when no more are recorded yet. Throws `InvalidInputError('cursor')` for a cursor this log did
   * not issue.
   */
  read(after: string | undefined, limit: number, now: number): Promise<EventPage>;
  /** The cursor at the end of the log now: reading after it yields only events recorded later. */
  tail(now: number): Promise<string>;
  /**
   * Claims up to `budget` sessions whose deadline is at or before `now` from the store's expiry
   * index and records one `session.expired` for each, atomically per claim: whatever number of
   * processes sweep at once, and whatever else reclaims expired sessions (a create, a listing),
   * each expired session yields exactly one `session.expired`. Answers how many it claimed; a
   * sweeper calls again at once while that equals `budget`.
   */
  sweepExpired(now: number, budget: number): Promise<number>;
  /**
   * Takes or renews, for `owner`, the lease on the progress of the consumer `name` (a webhook
   * receiver) until `now + leaseMs`, and answers the cursor last saved for it (`undefined`: none
   * yet); `taken` while another owner's lease runs. So across processes one delivers to each
   * receiver at a time, in order, and a process that dies hands over when its lease runs out.
   */
  claimConsumer(name: string, owner: string, now: number, leaseMs: number): Promise<{ readonly cursor: string | undefined } | 'taken'>;
  /** Saves the consumer's cursor and renews the lease, only while `owner` holds it; `false` when it lost it. */
  saveConsumer(name: string, owner: string, cursor: string, now: number, leaseMs: number): Promise<boolean>;
}

/** Options for a store that records events. */
export interface EventLogOptions {
  /** How long events are kept (ms); default `EVENT_RETENTION_DEFAULT_MS` (24 h). */
  readonly retentionMs?: number | undefined;
}

/** The default retention: 24 hours. */
export const EVENT_RETENTION_DEFAULT_MS = 24 * 60 * 60 * 1000;
