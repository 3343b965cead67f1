import fc from 'fast-check';
import type { JsonObject, JsonValue, Session } from '../core/index.js';

/**
 * One tick of the suite's clock. Whole seconds, so a store that keeps seconds for its native
 * expiry (DynamoDB's TTL attribute) still sees distinct deadlines.
 */
export const TICK = 1000;

/**
 * Where the suite's clock starts: 2100-01-01. Far in the future on purpose, so a store's native
 * expiry (Redis PEXPIREAT, DynamoDB TTL) never fires during a run; every expiry the suite sees
 * must come from the store filtering by `now`, as the port requires.
 */
export const START = Date.UTC(2100, 0, 1);

/** How many session ids the suite uses: few, so creates collide and ids are reused. */
export const ID_COUNT = 5;

/**
 * The users. Few, so a user holds several sessions, and chosen to trip stores that build keys
 * or patterns from them: one a prefix of another (`a`, `a:b`), a Redis Cluster hash tag with a
 * glob character, and a non-ASCII letter.
 */
export const USERS: readonly string[] = ['a', 'a:b', '{a}*', 'ü'];

/**
 * A deterministic, valid lower-case UUID v4 for slot `index`. The hex digits are spread by a
 * multiplicative hash so that id order, creation order and slot order all differ.
 */
export function sessionIdFor(index: number): string {
  const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  const a = Math.imul(index + 1, 0x9e3779b1);
  const b = Math.imul(index + 7, 0x85ebca6b);
  const c = Math.imul(index + 13, 0xc2b2ae35);
  const variant = (8 + (index % 4)).toString(16);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${variant}${hex(c, 3)}-${hex(c >>> 12, 4)}${hex(a ^ b, 8)}`;
}

/** The ids of every slot, in slot order. */
export const SESSION_IDS: readonly string[] = Array.from({ length: ID_COUNT }, (_, i) => sessionIdFor(i));

/** A slot in `SESSION_IDS`. */
export const idSlot = (): fc.Arbitrary<number> => fc.nat({ max: ID_COUNT - 1 });

/** A user of `USERS`. */
export const user = (): fc.Arbitrary<string> => fc.constantFrom(...USERS);

/** A lifetime of 1 to 5 ticks, in milliseconds. */
export const ttl = (): fc.Arbitrary<number> => fc.integer({ min: 1, max: 5 }).map((ticks) => ticks * TICK);

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.string({ maxLength: 6, unit: 'grapheme' }),
  fc.boolean(),
  fc.constant(null),
);

// Keys that a careless store mangles: the empty key, a non-ASCII one, and `__proto__`, which
// plain assignment turns into a prototype instead of a property.
const key = fc.constantFrom('a', 'b', 'ü', '', '__proto__');

/** Builds an object with own properties only, even for the key `__proto__`. */
function objectOf(entries: readonly (readonly [string, JsonValue])[]): JsonObject {
  const object: JsonObject = {};
  for (const [name, value] of entries) {
    Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const shallow: fc.Arbitrary<JsonObject> = fc
  .uniqueArray(fc.tuple(key, scalar), { maxLength: 3, selector: ([name]) => name })
  .map(objectOf);

/** Small session data: scalars, one level of nesting, short arrays. */
export const data = (): fc.Arbitrary<JsonObject> =>
  fc
    .uniqueArray(fc.tuple(key, fc.oneof(scalar, shallow, fc.array(scalar, { maxLength: 3 }))), {
      maxLength: 3,
      selector: ([name]) => name,
    })
    .map(objectOf);

/** A new session as the core makes one: version 1, created now, living `ttl`. */
export function newSession(id: string, userId: string, data: JsonObject, ttl: number, now: number): Session {
  return { id, userId, data, createdAt: now, updatedAt: now, expiresAt: now + ttl, version: 1, ttl };
}

/** A time as ticks since the start, for messages. */
export const tickOf = (time: number): string => `t${(time - START) / TICK}`;

/** Which version a conditional write names: the right one, or the right one moved by an offset. */
export type VersionChoice = 'right' | -1 | 1 | 2;

/** Mostly the right version, sometimes a wrong one. */
export const versionChoice = (): fc.Arbitrary<VersionChoice> =>
  fc.oneof({ arbitrary: fc.constant('right' as const), weight: 3 }, { arbitrary: fc.constantFrom(-1 as const, 1 as const, 2 as const), weight: 1 });

/** The version to name for `choice` when the session is at `current`; never below 1. */
export function versionFor(choice: VersionChoice, current: number): number {
  if (choice === 'right') return current;
  return current + choice >= 1 ? current + choice : current + 1;
}
