/**
 * How a write that lost a race to another write waits before it reads and tries again:
 * exponential backoff with full jitter, so racing writers spread out instead of colliding again
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export interface RetryPolicy {
  /** The longest first wait, in ms; each later wait may be twice as long as the one before. */
  readonly baseDelayMs: number;
  /** The longest any one wait may be. */
  readonly maxDelayMs: number;
  /**
   * The longest a write may wait in all. Past it the write gives up with
   * `StoreUnavailableError`: it is not the caller's conflict, and later it may well succeed.
   */
  readonly budgetMs: number;
}

/**
 * Waits of up to 5, 10, 20, ... 500 ms, 3 s in all: about 12 attempts, enough for hundreds of
 * writers merging into one session at once.
 */
export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 5, maxDelayMs: 500, budgetMs: 3000 };

/** Resolves after `ms` milliseconds. The core has no timers: waiting comes in through this. */
export type Sleep = (ms: number) => Promise<void>;

/** A platform timer (`setTimeout`, in browsers and Node alike). */
export const timerSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The waits of one write, in order, each drawn uniformly below its ceiling. The ceilings, not the
 * draws, are counted against the budget, so how many attempts a write gets does not depend on luck
 * and its waits never add up to more than `budgetMs`.
 */
export function* retryDelays(policy: RetryPolicy, random: () => number = Math.random): Generator<number, void, undefined> {
  let committed = 0;
  for (let attempt = 0; ; attempt++) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    if (ceiling <= 0 || committed + ceiling > policy.budgetMs) return;
    committed += ceiling;
    yield random() * ceiling;
  }
}
