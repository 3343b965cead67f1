import type { Session } from './session.js';

/** How long sessions live. All durations are milliseconds. */
export interface TtlPolicy {
  /** The lifetime of a session created without its own `ttlSeconds`. */
  readonly defaultTtl: number;
  /** The longest `ttlSeconds` a caller may ask for, in milliseconds. */
  readonly maxTtl: number;
  /**
   * When on, every write moves `expiresAt` to `now + ttl`; refresh always does (the rule itself is
   * `expiryAfterChange` in session-change.ts, which stores apply).
   */
  readonly slidingExpiration: boolean;
  /** No session outlives `createdAt + absoluteTimeout`, however often it is extended. */
  readonly absoluteTimeout: number;
  /**
   * A refresh within this long of the session's `lastActiveAt` writes nothing and answers the
   * session unchanged (0: every refresh writes). The rule is `isThrottled` in session-change.ts.
   */
  readonly touchInterval: number;
}

const HOUR = 3_600_000;

/** 24 h sessions, sliding, capped at 7 days; a caller may ask for up to 7 days; refreshes write at most once a minute. */
export const defaultTtlPolicy: TtlPolicy = {
  defaultTtl: 24 * HOUR,
  maxTtl: 7 * 24 * HOUR,
  slidingExpiration: true,
  absoluteTimeout: 7 * 24 * HOUR,
  touchInterval: 60_000,
};

/** The last instant any extension may reach. */
export function absoluteDeadline(policy: TtlPolicy, session: Pick<Session, 'createdAt'>): number {
  return session.createdAt + policy.absoluteTimeout;
}

/** `expiresAt` of a session created at `now` with lifetime `ttl`. */
export function expiryAtCreation(policy: TtlPolicy, now: number, ttl: number): number {
  return Math.min(now + ttl, now + policy.absoluteTimeout);
}
