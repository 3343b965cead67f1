import { randomUUID } from 'node:crypto';
import type { Session } from '../../core/index.js';

/** A fixed "now" for store tests: the core owns time, so tests pick it. */
export const T0 = 1_700_000_000_000;

/** A session at version 1, created at `T0`, live for a minute unless told otherwise. */
export function sessionAt(overrides: Partial<Session> = {}): Session {
  return {
    id: randomUUID(),
    userId: 'user-1',
    data: { theme: 'dark' },
    createdAt: T0,
    updatedAt: T0,
    expiresAt: T0 + 60_000,
    version: 1,
    ttl: 60_000,
    ...overrides,
  };
}
