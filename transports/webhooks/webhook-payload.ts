import type { SessionEvent, SessionEventReason, SessionEventType } from '../../core/index.js';

/**
 * The body of a webhook, in the envelope Standard Webhooks recommends: `type`, `timestamp` (when
 * the event happened, not when it is sent) and `data`, the event itself with ISO-8601 UTC times.
 * `data` describes the event: it never holds the session's data or its token (events carry neither).
 */
export interface WebhookPayload {
  readonly type: SessionEventType;
  readonly timestamp: string;
  readonly data: {
    readonly id: string;
    readonly type: SessionEventType;
    readonly time: string;
    readonly recordedAt?: string;
    readonly sessionId: string;
    readonly userId?: string;
    readonly version: number;
    readonly reason?: SessionEventReason;
    readonly previousId?: string;
    readonly graceUntil?: string;
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The payload of one event. */
export function webhookPayload(event: SessionEvent): WebhookPayload {
  return {
    type: event.type,
    timestamp: iso(event.time),
    data: {
      id: event.id,
      type: event.type,
      time: iso(event.time),
      ...(event.recordedAt === undefined ? {} : { recordedAt: iso(event.recordedAt) }),
      sessionId: event.sessionId,
      ...(event.userId === undefined ? {} : { userId: event.userId }),
      version: event.version,
      ...(event.reason === undefined ? {} : { reason: event.reason }),
      ...(event.previousId === undefined ? {} : { previousId: event.previousId }),
      ...(event.graceUntil === undefined ? {} : { graceUntil: iso(event.graceUntil) }),
    },
  };
}
