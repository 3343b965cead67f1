import { createHash, randomBytes } from 'node:crypto';
import { toBase64Url, type Session, type Sha256 } from '../../core/index.js';

/** Node's synchronous SHA-256, as the service injects it. */
export const nodeSha256: Sha256 = (text) => createHash('sha256').update(text).digest();

/** The home of a user's sessions, computed synchronously (the core's `userHome`). */
export function homeOfUser(userId: string): string {
  return toBase64Url(createHash('sha256').update(`user:${userId}`).digest()).slice(0, 4);
}

/** A fresh handle in `home` (a random one when absent). */
export function handleIn(home?: string): string {
  const digest = toBase64Url(randomBytes(17)).slice(0, 22);
  return `${home ?? digest.slice(0, 4)}.${digest}`;
}

/**
 * A session with a handle where the store expects it: in its user's home, or anywhere when
 * anonymous (`userId: undefined`). Created at `now`, living `ttl` (1000 ms) unless told otherwise.
 */
export function handleSession(now: number, overrides: Partial<Session> = {}): Session {
  const ttl = overrides.ttl ?? 1000;
  const userId = 'userId' in overrides ? overrides.userId : 'alice';
  return {
    id: handleIn(userId === undefined ? undefined : homeOfUser(userId)),
    ...(userId === undefined ? {} : { userId }),
    data: {},
    createdAt: now,
    updatedAt: now,
    expiresAt: now + ttl,
    version: 1,
    ttl,
    ...overrides,
  };
}
