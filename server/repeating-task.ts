import { setImmediate as nextTurn, setTimeout as timer } from 'node:timers/promises';

/** Work this process repeats in the background until it stops. */
export interface RepeatingTask {
  /** Stops repeating; resolves once the step in flight, if any, has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `step` again and again: at once (after yielding a turn, so a step that always has more
 * cannot starve requests) when it answers `true`, otherwise after `intervalMs`. `step` handles
 * its own failures; the wait is cut short by `stop()`.
 */
export function startRepeating(step: () => Promise<boolean>, intervalMs: number): RepeatingTask {
  const stopped = new AbortController();
  const { signal } = stopped;
  const running = (async () => {
    while (!signal.aborted) {
      if (await step()) await nextTurn();
      else await timer(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      stopped.abort();
      await running;
    },
  };
}
