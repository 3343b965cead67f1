/** The pace of the clients' own retries (ioredis retries a gone cluster node every 100 ms). */
const TICK_MS = 100;

/** What {@link timedAlongsideTicks} measured. */
export interface TimedCall<T> {
  readonly outcome: PromiseSettledResult<T>;
  readonly elapsedMs: number;
  /** How much longer than due the ticks took: 1 on an idle machine, 3 when each took 300 ms. */
  readonly slowdown: number;
}

/**
 * Runs `call` while 100 ms timers fire one after another beside it, and says how long the call
 * took and how late those timers were. A bound written for an idle machine, times `slowdown`,
 * holds on a loaded one, and still catches a call that waits longer than it should: the call's
 * own timeouts and retry delays are late by the same factor.
 */
export async function timedAlongsideTicks<T>(call: () => Promise<T>): Promise<TimedCall<T>> {
  const started = performance.now();
  let ticks = 0;
  let lastTick = started;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    timer = setTimeout(() => {
      ticks++;
      lastTick = performance.now();
      tick();
    }, TICK_MS);
  };
  tick();
  const [outcome] = await Promise.allSettled([call()]);
  const elapsedMs = performance.now() - started;
  clearTimeout(timer);
  const slowdown = ticks === 0 ? 1 : Math.max(1, (lastTick - started) / (ticks * TICK_MS));
  return { outcome: outcome as PromiseSettledResult<T>, elapsedMs, slowdown };
}
