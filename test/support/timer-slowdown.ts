/** The pace of the clients' own retries (ioredis retries a gone cluster node every 100 ms). */
const TICK_MS = 100;

/** 100 ms timers firing one after another, from when it was started. */
export interface Ticks {
  /** How much longer than due the ticks took so far: 1 on an idle machine, 3 when each took 300 ms. */
  slowdown(): number;
  /** Stops the ticks and returns the slowdown over their whole run. */
  stop(): number;
}

/**
 * Starts 100 ms timers that fire one after another, to tell how late timers run on this machine
 * right now. A bound written for an idle machine, times the slowdown measured over the same
 * period, holds on a loaded one and still catches what waits longer than it should: its own
 * timeouts and retry delays are late by the same factor.
 */
export function startTicks(): Ticks {
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
  const slowdown = (): number => (ticks === 0 ? 1 : Math.max(1, (lastTick - started) / (ticks * TICK_MS)));
  return {
    slowdown,
    stop: () => {
      clearTimeout(timer);
      return slowdown();
    },
  };
}

/** What {@link timedAlongsideTicks} measured. */
export interface TimedCall<T> {
  readonly outcome: PromiseSettledResult<T>;
  readonly elapsedMs: number;
  /** See {@link Ticks.slowdown}. */
  readonly slowdown: number;
}

/** Runs `call` with {@link startTicks} beside it: how long it took, and how late timers were meanwhile. */
export async function timedAlongsideTicks<T>(call: () => Promise<T>): Promise<TimedCall<T>> {
  const started = performance.now();
  const ticks = startTicks();
  const [outcome] = await Promise.allSettled([call()]);
  const elapsedMs = performance.now() - started;
  return { outcome: outcome as PromiseSettledResult<T>, elapsedMs, slowdown: ticks.stop() };
}
