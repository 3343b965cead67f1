/** The only source of time in the core: every expiry decision reads `now()` from here. */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** The wall clock, for running services; tests hand the core a clock they control. */
export const systemClock: Clock = { now: () => Date.now() };
