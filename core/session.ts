import type { JsonObject } from './json.js';
import type { SessionContext } from './session-context.js';

/**
 * A session. `id` is its handle: public, listed, used in paths and logs. Its token (the
 * credential) is never part of a session: stores know only its hash, which the handle carries
 * (see session-handle.ts). Times are epoch milliseconds; `ttl` is how far each extension reaches.
 * Sessions are values: every write makes a new one with `version` one higher.
 */
export interface Session {
  readonly id: string;
  /** Whose session this is; absent for an anonymous session (a cart before login). */
  readonly userId?: string | undefined;
  readonly data: JsonObject;
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * When the session's user was last seen active: `createdAt` at creation, then `now` of each
   * refresh that writes (a throttled refresh leaves it, as do replace and patch, which may come
   * from anywhere: a background job is not the user). See `isThrottled` in session-change.ts.
   */
  readonly lastActiveAt: number;
  readonly expiresAt: number;
  readonly version: number;
  readonly ttl: number;
  /** Where and how it was started (IP, user agent, device, authentication); absent when never said. */
  readonly context?: SessionContext | undefined;
}

/** A session just created, with the token that resolves it: handed out once, never stored. */
export interface CreatedSession extends Session {
  readonly token: string;
  /** The handles of the user's sessions this create ended to stay within the cap (usually none). */
  readonly evicted: readonly string[];
}

type Built<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A session's fields as an object built field by field, the optional ones only when set. Objects
 * made by spreading (`{ ...session, token }`, `...(userId === undefined ? {} : { userId })`) take
 * V8's slow copy: copying the created session for its answer cost more than all else `create` does.
 */
export function plainSession(fields: Omit<Session, 'data'>, data: JsonObject): Session {
  const session: Built<Session> = {
    id: fields.id,
    data,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    lastActiveAt: fields.lastActiveAt,
    expiresAt: fields.expiresAt,
    version: fields.version,
    ttl: fields.ttl,
  };
  if (fields.userId !== undefined) session.userId = fields.userId;
  if (fields.context !== undefined) session.context = fields.context;
  return session;
}

/** The created session's answer: `session` with its token and what its create evicted, built as {@link plainSession} builds. */
export function withToken(session: Session, token: string, evicted: readonly string[]): CreatedSession {
  const created = plainSession(session, session.data) as Built<CreatedSession>;
  created.token = token;
  created.evicted = evicted;
  return created;
}

/** A session is live while its deadline is strictly in the future: at `expiresAt` it is gone. */
export function isLive(session: Pick<Session, 'expiresAt'>, now: number): boolean {
  return session.expiresAt > now;
}
