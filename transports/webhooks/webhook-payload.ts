import type { SessionEvent, SessionEventType } from '../../core/index.js';
import { isoInstant } from '../wire/iso-instant.js';
import { toWireEvent, type WireEvent } from '../wire/wire-event.js';

/**
 * The body of a webhook, in the envelope Standard Webhooks recommends: `type`, `timestamp` (when
 * the event happened, not when it is sent) and `data`, the event exactly as `GET /events` shows it.
 * `data` describes the event: it never holds the session's data or its token (events carry neither).
 */
export interface WebhookPayload {
  readonly type: SessionEventType;
  readonly timestamp: string;
  readonly data: WireEvent;
}

/** The payload of one event. */
export function webhookPayload(event: SessionEvent): WebhookPayload {
  return { type: event.type, timestamp: isoInstant(event.time), data: toWireEvent(event) };
}
