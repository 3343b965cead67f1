import { createHash, randomBytes } from 'node:crypto';
import { toBase64Url, type Session } from '../../core/index.js';

/**
 * The home of a user's sessions, as the core's `userHome` computes it, but synchronously (Node's
 * SHA-256), so that a fixture needs no `await`.
 */
export function homeOfUser(userId: string): string {
  return toBase64Url(createHash('sha256').update(`user:${userId}`).digest()).slice(0, 4);
}

/** A fresh handle (`<home>.<digest>`) in `home`, or its digest's own home when absent. */
export function handleIn(home?: string): string {
  const digest = toBase64Url(randomBytes(17)).slice(0, 22);
  return `${home ?? digest.slice(0, 4)}.${digest}`;
}

/**
 * A session with a fresh handle where a store expects it: in its user's home, or anywhere when
 * anonymous (`userId: undefined`). Alice's unless told otherwise, created at `now`, living `ttl`
 * (1000 ms).
 */
export function makeSession(now: number, overrides: Partial<Session> = {}): Session {
  const ttl = overrides.ttl ?? 1000;
  const userId = 'userId' in overrides ? overrides.userId : 'alice';
  return {
    id: handleIn(userId === undefined ? undefined : homeOfUser(userId)),
    ...(userId === undefined ? {} : { userId }),
    data: {},
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
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
