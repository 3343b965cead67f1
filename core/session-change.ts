import type { JsonObject } from './json.js';
import type { Session } from './session.js';

/**
 * A write as the core hands it to a store, so that the store can apply it in one atomic step to
 * what it holds, without the core reading first. The store must compute exactly what
 * {@link applyChange} computes: the conformance suite holds every store to it.
 */
export interface SessionChange {
  /** The new data; absent keeps the stored data (a refresh). */
  readonly data?: JsonObject | undefined;
  /** Written only while the session is at this version; absent, at whatever version it is. */
  readonly expectedVersion?: number | undefined;
  /**
   * `true`: the expiry moves to `now + ttl`, never earlier than it was (a refresh, or a write
   * with sliding expiry). `false`: it stays. Either way it never passes the absolute deadline.
   */
  readonly slide: boolean;
  /** No session outlives `createdAt + absoluteTimeout` (ms), whatever the change. */
  readonly absoluteTimeout: number;
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
 * goes up by one on every write; nothing else decides versions.
 */
export function applyChange(session: Session, change: SessionChange, now: number): Session {
  return {
    ...session,
    data: change.data ?? session.data,
    updatedAt: now,
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
