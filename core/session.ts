import type { JsonObject } from './json.js';

/**
 * A user's session. Times are epoch milliseconds; `ttl` is how far each extension reaches.
 * Sessions are values: every write makes a new one with `version` one higher.
 */
export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly data: JsonObject;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number;
  readonly version: number;
  readonly ttl: number;
}

/** A session is live while its deadline is strictly in the future: at `expiresAt` it is gone. */
export function isLive(session: Pick<Session, 'expiresAt'>, now: number): boolean {
  return session.expiresAt > now;
}
