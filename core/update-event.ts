import type { Session } from './session.js';
import type { SessionChange } from './session-change.js';
import type { SessionUpdateCause } from './session-events.js';

/** The event an update records: its type, and for `session.updated` which write made it. */
export type UpdateEvent = { readonly type: 'session.updated'; readonly reason: SessionUpdateCause } | { readonly type: 'session.refreshed' };

/**
 * What an update that turned `before` into `after` (as `applyChange` says) records: a write with
 * data a `session.updated` (reason `change.cause`, `replace` when absent); a refresh a
 * `session.refreshed` only when it moved `expiresAt`; nothing for a refresh that did not (a
 * throttled one, or one a fixed or absolute deadline held where it was). So a consumer learns of
 * every deadline it must track, and is not woken for a refresh that changes none.
 */
export function updateEventOf(
  before: Pick<Session, 'expiresAt'>,
  after: Pick<Session, 'expiresAt'>,
  change: Pick<SessionChange, 'data' | 'cause'>,
): UpdateEvent | undefined {
  if (change.data !== undefined) return { type: 'session.updated', reason: change.cause ?? 'replace' };
  return after.expiresAt === before.expiresAt ? undefined : { type: 'session.refreshed' };
}
