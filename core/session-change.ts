import type { JsonObject } from './json.js';
import type { Session } from './session.js';
import type { SessionUpdateCause } from './session-events.js';

/**
 * A write as the core hands it to a store, so that the store can apply it in one atomic step to
 * what it holds, without the core reading first. The store must compute exactly what
 * {@link applyChange} computes: the conformance suite holds every store to it.
 */
export interface SessionChange {
  /** The new data; absent keeps the stored data (a refresh). */
  readonly data?: JsonObject | undefined;
  /** Which write this is, for its `session.updated` event (`replace` when absent); stores ignore it otherwise. */
  readonly cause?: SessionUpdateCause | undefined;
  /** Written only while the session is at this version; absent, at whatever version it is. */
  readonly expectedVersion?: number | undefined;
  /**
   * `true`: the expiry moves to `now + ttl`, never earlier than it was (a refresh, or a write
   * with sliding expiry). `false`: it stays. Either way it never passes the absolute deadline.
   */
  readonly slide: boolean;
  /** No session outlives `createdAt + absoluteTimeout` (ms), whatever the change. */
  readonly absoluteTimeout: number;
  /**
   * Touch throttling (ms; absent or 0: none). A refresh (a change without `data`) within this
   * long of the session's `lastActiveAt` writes nothing: the store answers the session as it
   * holds it, same version, same deadline (see {@link isThrottled}).
   */
  readonly touchInterval?: number | undefined;
}

/**
 * Whether `change` at `now` is a throttled refresh, which leaves `session` exactly as it is (no
 * write at all, so a store answers it after one read), as Ory Kratos' `earliest_possible_extend`
 * spares writes: a client that refreshes on every request costs one write per interval, not one
 * per request (issue 14, item 5). The rule:
 *
 * - only a refresh is throttled (no `data`): a write with data always writes;
 * - the interval runs from `lastActiveAt`, the last refresh that wrote (or the creation), not
 *   from `updatedAt`: a replace does not move it, so data writes cannot keep a session from
 *   sliding, and `lastActiveAt` moves at most once per interval;
 * - the interval is cut to half the session's ttl: a session whose ttl is shorter than the
 *   interval would otherwise expire while its user refreshes it. Every write leaves `expiresAt`
 *   at least `lastActiveAt + ttl` (unless the absolute timeout is nearer), so a throttled refresh
 *   still leaves the session at least half its ttl to live;
 * - a refresh that the absolute timeout caps is throttled alike: the rule looks at times only,
 *   never at how far the slide would reach, so every store decides it from two stored fields.
 *
 * A conditional refresh checks the version first (a wrong one is a conflict, throttled or not).
 */
export function isThrottled(
  session: Pick<Session, 'lastActiveAt' | 'ttl'>,
  change: Pick<SessionChange, 'data' | 'touchInterval'>,
  now: number,
): boolean {
  if (change.data !== undefined || change.touchInterval === undefined || change.touchInterval <= 0) return false;
  const since = now - session.lastActiveAt;
  return since < change.touchInterval && 2 * since < session.ttl;
}

/** The session's deadline after `change` at `now`. */
export function expiryAfterChange(
  session: Pick<Session, 'createdAt' | 'expiresAt' | 'ttl'>,
  change: Pick<SessionChange, 'slide' | 'absoluteTimeout'>,
  now: number,
): number {
  const deadline = session.createdAt + change.absoluteTimeout;
  const moved = change.slide ? Math.max(session.expiresAt, now + session.ttl) : session.expiresAt;
  return Math.min(moved, deadline);
}

/**
 * The one definition of a write: the session `change` makes of `session` at `now`. The version
 * goes up by one on every write; nothing else decides versions. A throttled refresh
 * ({@link isThrottled}) is no write: it answers `session` itself, unchanged, and a store that
 * gets `session` back writes nothing. A refresh that writes moves `lastActiveAt` to `now`; a
 * write with data leaves it.
 */
export function applyChange(session: Session, change: SessionChange, now: number): Session {
  if (isThrottled(session, change, now)) return session;
  return {
    ...session,
    data: change.data ?? session.data,
    updatedAt: now,
    lastActiveAt: change.data === undefined ? now : session.lastActiveAt,
    expiresAt: expiryAfterChange(session, change, now),
    version: session.version + 1,
  };
}

/**
 * The session a rotation writes for `session` at `now`: the same data, user (or `userId`, binding
 * an anonymous session), `createdAt` (so the absolute timeout still counts from the first
 * creation) and ttl, at a new handle, as a write: version + 1, `updatedAt = now`, the deadline
 * as `applyChange` moves it.
 */
export function rotatedSession(
  session: Session,
  id: string,
  userId: string | undefined,
  change: Pick<SessionChange, 'slide' | 'absoluteTimeout'>,
  now: number,
): Session {
  const next = applyChange(session, change, now);
  const owner = userId ?? session.userId;
  const { userId: _dropped, ...rest } = next;
  return { ...rest, id, ...(owner === undefined ? {} : { userId: owner }) };
}

/** The longest grace a rotation may give the old token (seconds). */
export const ROTATION_GRACE_MAX_SECONDS = 60;

/** Until when the old handle of a rotation at `now` resolves to `next`: never past `next`'s life. */
export function rotationGraceEnd(next: Pick<Session, 'expiresAt'>, now: number, graceMs: number): number {
  return Math.min(now + graceMs, next.expiresAt);
}
