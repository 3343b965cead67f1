import { randomUUID } from 'node:crypto';
import type { Session } from '../../core/index.js';

/** A session with sensible defaults: alice's, created at `now`, living 1000 ms. */
export function makeSession(now: number, overrides: Partial<Session> = {}): Session {
  const ttl = overrides.ttl ?? 1000;
  return {
    id: randomUUID(),
    userId: 'alice',
    data: {},
    createdAt: now,
    updatedAt: now,
    expiresAt: now + ttl,
    version: 1,
    ttl,
    ...overrides,
  };
}

/** A fixed "now" for store tests: the core owns time, so tests pick it. */
export const T0 = 1_700_000_000_000;

/** A session at version 1, created at `T0`, live for a minute unless told otherwise. */
export function sessionAt(overrides: Partial<Session> = {}): Session {
  return makeSession(T0, { userId: 'user-1', data: { theme: 'dark' }, ttl: 60_000, ...overrides });
}
