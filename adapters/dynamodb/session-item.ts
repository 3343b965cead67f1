import { homeOf, takeJsonText, type JsonObject, type Session, type SessionContext } from '../../core/index.js';

/**
 * A session as the table holds it. `data` is JSON text rather than a DynamoDB map: JSON text
 * round-trips every JSON value exactly (numbers past 38 digits or 2^53, `__proto__` keys,
 * empty strings and 32-deep nesting all break or bend a map), and nothing ever queries into it.
 */
export interface SessionItem {
  /** The partition: the handle's home, shared by all sessions of one user. */
  readonly home: string;
  readonly id: string;
  /** Absent for an anonymous session, which is then in no user's listing. */
  readonly userId?: string;
  readonly data: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastActiveAt: number;
  /** The exact deadline; every read filters on it. */
  readonly expiresAtMs: number;
  /**
   * DynamoDB's TTL attribute: the deadline rounded up to whole seconds, so it never reaps early
   * (later by the store's reap delay when it records events, so that a sweep claims it first).
   */
  readonly expiresAtSeconds: number;
  readonly version: number;
  readonly ttl: number;
  /** The alias handle created with the session, whose alias item goes with it. */
  readonly alias?: string;
  /**
   * The session's context as JSON text, absent for none: one attribute an UpdateItem never
   * names, so every in-place update keeps it, and JSON keeps the order of `authMethods`
   * (a DynamoDB string set would not, nor hold an empty string).
   */
  readonly context?: string;
  // Derived from the fields above, so that one UpdateItem can apply the core's expiry rule:
  // DynamoDB has no min or max, and its conditions compare an attribute with a value only.
  /** `expiresAtMs - ttl`: a slide at `now` lands past the deadline when this is ≤ now. */
  readonly slideFromMs: number;
  /** `expiresAtMs - createdAt`: the deadline is within an absolute timeout when this is ≤ it. */
  readonly lifeMs: number;
  /** `createdAt - ttl`: a slide at `now` stays within the absolute timeout `a` when this is ≥ now - a. */
  readonly bornLessTtlMs: number;
  /** `ttl` in whole seconds, rounded up: what a slide adds to the TTL attribute. */
  readonly ttlSeconds: number;
}

/**
 * The item that keeps an alias: its key is the alias handle, `aliasOf` names the session, and
 * its deadline follows the session's (written at create, kept equal on every update).
 */
export interface AliasItem {
  readonly home: string;
  readonly id: string;
  readonly aliasOf: string;
  readonly expiresAtMs: number;
  readonly expiresAtSeconds: number;
}

/**
 * The item that stores a session (with the alias it was created with, if any), for TTL to reap
 * no earlier than `reapDelaySeconds` past its deadline.
 */
export function toSessionItem(session: Session, alias?: string, reapDelaySeconds = 0): SessionItem {
  return {
    home: homeOf(session.id),
    id: session.id,
    ...(session.userId !== undefined && { userId: session.userId }),
    data: takeJsonText(session.data),
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    lastActiveAt: session.lastActiveAt,
    expiresAtMs: session.expiresAt,
    expiresAtSeconds: expiresAtSeconds(session.expiresAt) + reapDelaySeconds,
    version: session.version,
    ttl: session.ttl,
    ...(alias !== undefined && { alias }),
    ...(session.context !== undefined && { context: JSON.stringify(session.context) }),
    slideFromMs: session.expiresAt - session.ttl,
    lifeMs: session.expiresAt - session.createdAt,
    bornLessTtlMs: session.createdAt - session.ttl,
    ttlSeconds: Math.ceil(session.ttl / 1000),
  };
}

/** The key of the item at a handle (a session's or an alias's): its home and itself. */
export function itemKey(id: string): { home: string; id: string } {
  return { home: homeOf(id), id };
}

/** The alias item naming `handle` under `alias`, with the session's deadline. */
export function toAliasItem(alias: string, handle: string, expiresAtMs: number): AliasItem {
  return { home: homeOf(alias), id: alias, aliasOf: handle, expiresAtMs, expiresAtSeconds: expiresAtSeconds(expiresAtMs) };
}

/** True for an alias item (not a session). */
export function isAliasItem(item: Record<string, unknown>): boolean {
  return typeof item['aliasOf'] === 'string';
}

/** The TTL attribute's value for a deadline in milliseconds. */
export function expiresAtSeconds(expiresAtMs: number): number {
  return Math.ceil(expiresAtMs / 1000);
}

/** The session an item stores; throws if the item is not one this adapter wrote. */
export function fromSessionItem(item: Record<string, unknown>): Session {
  const data: unknown = JSON.parse(stringAttribute(item, 'data'));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`session item ${String(item['id'])}: data is not a JSON object`);
  }
  return {
    id: stringAttribute(item, 'id'),
    ...(item['userId'] !== undefined && { userId: stringAttribute(item, 'userId') }),
    // JSON.parse defines `__proto__` as an own key, so such data comes back as plain data.
    data: data as JsonObject,
    createdAt: numberAttribute(item, 'createdAt'),
    updatedAt: numberAttribute(item, 'updatedAt'),
    lastActiveAt: numberAttribute(item, 'lastActiveAt'),
    expiresAt: numberAttribute(item, 'expiresAtMs'),
    version: numberAttribute(item, 'version'),
    ttl: numberAttribute(item, 'ttl'),
    ...(item['context'] !== undefined && { context: JSON.parse(stringAttribute(item, 'context')) as SessionContext }),
  };
}

function stringAttribute(item: Record<string, unknown>, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new Error(`session item: ${name} is not a string`);
  return value;
}

function numberAttribute(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`session item: ${name} is not a number`);
  }
  return value;
}
