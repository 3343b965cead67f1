import type { Session } from './session.js';

/**
 * The cap on a user's live sessions, and what a create beyond it does: evict the user's oldest
 * session (by `createdAt`), the least recently active one (by {@link lastActivityOf}), or refuse.
 */
export type SessionLimitPolicy = 'evict-oldest' | 'evict-idlest' | 'reject';

/** The policies, in the order the settings and the docs name them. */
export const SESSION_LIMIT_POLICIES: readonly SessionLimitPolicy[] = ['evict-oldest', 'evict-idlest', 'reject'];

/** How many live sessions a user may hold (a whole number ≥ 1), and what a create past it does. */
export interface SessionLimit {
  readonly max: number;
  readonly policy: SessionLimitPolicy;
}

/** What eviction looks at: a store may rank its own records without building sessions. */
export type Ranked = Pick<Session, 'id' | 'createdAt' | 'lastActiveAt'>;

/**
 * When a session was last active, as idleness is measured by `evict-idlest`. Read through this
 * one function, so that stores and the model agree on it.
 */
export function lastActivityOf(session: Pick<Session, 'lastActiveAt'>): number {
  return session.lastActiveAt;
}

/**
 * The order in which sessions are evicted, first to go first: `evict-oldest` by `createdAt`,
 * `evict-idlest` by {@link lastActivityOf}, ties broken by handle (ascending, by UTF-16 code
 * unit, which for the ASCII of handles is byte order, as Redis and DynamoDB compare). Exact, so
 * that every store evicts the very sessions the conformance model says.
 */
export function evictionOrder(policy: Exclude<SessionLimitPolicy, 'reject'>): (a: Ranked, b: Ranked) => number {
  const key = policy === 'evict-oldest' ? (s: Ranked) => s.createdAt : lastActivityOf;
  return (a, b) => key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * What a create of one more session of a user does under `limit`, given the user's OTHER live
 * sessions (the new one is never among them and is never evicted): the sessions to evict (none
 * while the user stays within the cap), or `refused` under `reject`.
 */
export function evictionsFor<S extends Ranked>(live: readonly S[], limit: SessionLimit): readonly S[] | 'refused' {
  const excess = live.length + 1 - limit.max;
  if (excess <= 0) return [];
  if (limit.policy === 'reject') return 'refused';
  return [...live].sort(evictionOrder(limit.policy)).slice(0, excess);
}
