import { Counter, type Registry } from 'prom-client';
import { SESSION_EVENT_TYPES, type EventPage, type SessionEventType } from '../../core/index.js';

/**
 * Counts the events `GET /events` answers, by type, into `registry`. What the store records is
 * counted where it is recorded (the sweeper's expiries) or read (here and by the webhook
 * deliverer): the transport cannot see inside a store's write which events it recorded.
 */
export function eventMetrics(registry: Registry): (page: EventPage) => void {
  const read = new Counter({
    name: 'session_events_read_total',
    help: 'Lifecycle events answered by GET /events, by type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  // Every type from the start (0 until seen), and each child bound once.
  const byType = new Map<SessionEventType, Counter.Internal>(SESSION_EVENT_TYPES.map((type) => [type, read.labels(type)]));
  return (page) => {
    for (const event of page.events) byType.get(event.type)?.inc();
  };
}
