import { updateEventOf, type Session, type SessionChange, type SessionEventReason } from '../../core/index.js';
import type { UnnumberedEvent } from './event-items.js';

/**
 * Which event each write of the store records (the `SessionStore.events` doc says which), built
 * from what the write's own request answered: the session it wrote, or the item it removed or
 * overwrote (`ReturnValues: ALL_OLD`), which only that request could have removed.
 */

/** The fields of every event of the session `id`. */
function about(id: string, userId: unknown, version: unknown): Pick<UnnumberedEvent, 'sessionId' | 'userId' | 'version'> {
  return { sessionId: id, ...(typeof userId === 'string' && { userId }), version: Number(version) };
}

/** `session.created` of a session (or its item) written at `now`. */
export function createdEvent(session: { readonly id: string; readonly userId?: string | undefined; readonly version: number }, now: number): UnnumberedEvent {
  return { type: 'session.created', time: now, ...about(session.id, session.userId, session.version) };
}

/** What an update that made `after` of `before` records, by the core's rule (`updateEventOf`). */
export function changedEvent(before: Pick<Session, 'expiresAt'>, after: Session, change: SessionChange, now: number): UnnumberedEvent | undefined {
  const event = updateEventOf(before, after, change);
  return event === undefined ? undefined : { ...event, time: now, ...about(after.id, after.userId, after.version) };
}

/**
 * What removing the item `removed` (the image its DeleteItem returned) at `now` records:
 * `session.expired` (at its deadline, recorded now) when it was expired then, else
 * `session.deleted` for `reason`; nothing for an item that was no session (an alias, a
 * rotation's pending item, a lease).
 */
export function endedEvent(removed: Record<string, unknown>, now: number, reason: SessionEventReason): UnnumberedEvent | undefined {
  if (!isSessionImage(removed)) return undefined;
  const fields = about(String(removed['id']), removed['userId'], removed['version']);
  const deadline = Number(removed['expiresAtMs']);
  if (deadline <= now) return { type: 'session.expired', time: deadline, recordedAt: now, ...fields };
  return { type: 'session.deleted', time: now, ...fields, reason };
}

/** `session.expired` of `removed` when it was a session expired at `now` (a sweep's claim, or a write over its handle), else nothing. */
export function expiredEvent(removed: Record<string, unknown> | undefined, now: number): UnnumberedEvent | undefined {
  if (removed === undefined || Number(removed['expiresAtMs']) > now) return undefined;
  return endedEvent(removed, now, 'logout');
}

/** The two events of a rotation from `old` (the session item read) to `next`, at its linearization point. */
export function rotationEvents(old: Record<string, unknown>, next: Session, graceUntil: number, now: number): UnnumberedEvent[] {
  const oldId = String(old['id']);
  return [
    { type: 'session.rotated', time: now, ...about(next.id, next.userId, next.version), previousId: oldId },
    { type: 'session.deleted', time: now, ...about(oldId, old['userId'], old['version']), reason: 'rotated', graceUntil },
  ];
}

/** An item image of a confirmed session: it has a deadline and a version and is no alias or pending rotation. */
function isSessionImage(item: Record<string, unknown>): boolean {
  return (
    typeof item['expiresAtMs'] === 'number' &&
    typeof item['version'] === 'number' &&
    item['aliasOf'] === undefined &&
    item['pendingFrom'] === undefined
  );
}
