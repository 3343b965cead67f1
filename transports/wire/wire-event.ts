import type { SessionEvent, SessionEventReason, SessionEventType } from '../../core/index.js';
import { isoInstant } from './iso-instant.js';

/** A lifecycle event as the API shows it (`GET /events`, and each webhook's `data`): ISO-8601 UTC times. */
export interface WireEvent {
  readonly id: string;
  readonly type: SessionEventType;
  readonly time: string;
  /** Only `session.expired`: when the sweeper claimed it (`recordedAt - time` is the lag). */
  readonly recordedAt?: string;
  readonly sessionId: string;
  readonly userId?: string;
  readonly version: number;
  readonly reason?: SessionEventReason;
  readonly previousId?: string;
  readonly graceUntil?: string;
}

/** Converts a core event to its wire form; a field the event does not have is left out, never null. */
export function toWireEvent(event: SessionEvent): WireEvent {
  return {
    id: event.id,
    type: event.type,
    time: isoInstant(event.time),
    ...(event.recordedAt === undefined ? {} : { recordedAt: isoInstant(event.recordedAt) }),
    sessionId: event.sessionId,
    ...(event.userId === undefined ? {} : { userId: event.userId }),
    version: event.version,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    ...(event.previousId === undefined ? {} : { previousId: event.previousId }),
    ...(event.graceUntil === undefined ? {} : { graceUntil: isoInstant(event.graceUntil) }),
  };
}
