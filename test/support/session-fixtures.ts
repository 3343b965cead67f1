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
