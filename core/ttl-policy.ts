import type { Session } from './session.js';

/** How long sessions live. All durations are milliseconds. */
export interface TtlPolicy {
  /** The lifetime of a session created without its own `ttlSeconds`. */
  readonly defaultTtl: number;
  /** The longest `ttlSeconds` a caller may ask for, in milliseconds. */
  readonly maxTtl: number;
  /** When on, every write moves `expiresAt` to `now + ttl`; refresh always does. */
  readonly slidingExpiration: boolean;
  /** No session outlives `createdAt + absoluteTimeout`, however often it is extended. */
  readonly absoluteTimeout: number;
}

const HOUR = 3_600_000;

/** 24 h sessions, sliding, capped at 7 days; a caller may ask for up to 7 days. */
export const defaultTtlPolicy: TtlPolicy = {
  defaultTtl: 24 * HOUR,
  maxTtl: 7 * 24 * HOUR,
  slidingExpiration: true,
  absoluteTimeout: 7 * 24 * HOUR,
};

/** The last instant any extension may reach. */
export function absoluteDeadline(policy: TtlPolicy, session: Pick<Session, 'createdAt'>): number {
  return session.createdAt + policy.absoluteTimeout;
}

/** `expiresAt` of a session created at `now` with lifetime `ttl`. */
export function expiryAtCreation(policy: TtlPolicy, now: number, ttl: number): number {
  return Math.min(now + ttl, now + policy.absoluteTimeout);
}

/** `expiresAt` after a refresh: `now + ttl`, never earlier than before, never past the cap. */
export function expiryAfterRefresh(
  policy: TtlPolicy,
  session: Pick<Session, 'createdAt' | 'expiresAt' | 'ttl'>,
  now: number,
): number {
  return Math.min(Math.max(session.expiresAt, now + session.ttl), absoluteDeadline(policy, session));
}

/** `expiresAt` after a data write: extended only when expiry slides. */
export function expiryAfterWrite(
  policy: TtlPolicy,
  session: Pick<Session, 'createdAt' | 'expiresAt' | 'ttl'>,
  now: number,
): number {
  return policy.slidingExpiration
    ? expiryAfterRefresh(policy, session, now)
    : Math.min(session.expiresAt, absoluteDeadline(policy, session));
}
