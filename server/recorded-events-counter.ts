import { Counter, type Registry } from 'prom-client';
import { SESSION_EVENT_TYPES, type Clock, type SessionEventLog } from '../core/index.js';
import { startRepeating, type RepeatingTask } from './repeating-task.js';

/** A counter of the events the store's log records, running in this process. */
export type RecordedEventsCounter = RepeatingTask;

/** How often the counter reads the log, and how much at most at once. */
const READ_INTERVAL_MS = 1000;
const READ_LIMIT = 1000;

/**
 * `session_events_recorded_total` by `type`: the events the store's log recorded since this
 * process started, whichever process (or reclaim path) recorded them. The server cannot tell from
 * a write's answer which events the store recorded for it (a refresh records one only when its
 * deadline moved; a create over an expired handle records that expiry too), so it counts what the
 * log holds: it follows the log from its tail, a read a second. Every process counts every event,
 * so across processes take the max, not the sum. A failing read is counted as a failure of the
 * store elsewhere; here it is only tried again at the next interval.
 */
export function startRecordedEventsCounter(log: SessionEventLog, clock: Clock, registry: Registry): RecordedEventsCounter {
  const recorded = new Counter({
    name: 'session_events_recorded_total',
    help: 'Lifecycle events the store recorded since this process started, by type (every process counts all of them).',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const byType = new Map(SESSION_EVENT_TYPES.map((type) => [type, recorded.labels(type)] as const));
  for (const counter of byType.values()) counter.inc(0);
  let cursor: string | undefined;
  return startRepeating(async () => {
    try {
      cursor ??= await log.tail(clock.now());
      const page = await log.read(cursor, READ_LIMIT, clock.now());
      for (const event of page.events) byType.get(event.type)?.inc();
      cursor = page.cursor;
      return page.events.length === READ_LIMIT;
    } catch {
      // The sweeper and the API report a store that is away; the count resumes where it was.
      return false;
    }
  }, READ_INTERVAL_MS);
}
