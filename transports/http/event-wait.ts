import type { EventPage } from '../../core/index.js';

/** When a long poll stops waiting for events. */
export interface EventWaitOptions {
  /** The longest it waits (ms). */
  readonly waitMs: number;
  /** How long between two reads of the log (ms). */
  readonly intervalMs: number;
  /** Aborted when the client has gone: nobody would read the answer. */
  readonly signal: AbortSignal;
  /** True once the server drains: the request must end so the drain is not held up. */
  readonly isDraining: () => boolean;
}

/**
 * Reads the log after `page.cursor` every `intervalMs` until a read finds events, the wait is up,
 * the client goes or the server drains; answers the last page read (with no events, when none
 * came: its cursor is still the one to go on from). The log is read, not subscribed to: every
 * store can answer a read, and only the store knows what was recorded in another process.
 */
export async function waitForEvents(page: EventPage, read: (after: string) => Promise<EventPage>, options: EventWaitOptions): Promise<EventPage> {
  const deadline = performance.now() + options.waitMs;
  let last = page;
  for (;;) {
    if (performance.now() >= deadline || options.signal.aborted || options.isDraining()) return last;
    await pauseUntil(Math.min(performance.now() + options.intervalMs, deadline), options.signal);
    if (options.signal.aborted) return last;
    last = await read(last.cursor);
    if (last.events.length > 0) return last;
  }
}

/**
 * Waits until `performance.now()` reaches `until`, or less when `signal` aborts. A timer can fire
 * before its time by that clock (Node schedules it from the event loop's cached time, which a
 * busy loop leaves behind): then it waits out the rest, so the log is read once per interval.
 */
async function pauseUntil(until: number, signal: AbortSignal): Promise<void> {
  for (let left = until - performance.now(); left > 0 && !signal.aborted; left = until - performance.now()) await pause(left, signal);
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
