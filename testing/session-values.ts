import fc from 'fast-check';
import type { JsonObject, JsonValue, Session, SessionContext } from '../core/index.js';

/**
 * One tick of the suite's clock, for messages and the scale of generated times. Times themselves
 * have millisecond parts (see `ttl` and `advance`): with whole seconds only, a store that rounds
 * deadlines to seconds would pass unseen.
 */
export const TICK = 1000;

/**
 * Where the suite's clock starts: 2100-01-01. Far in the future on purpose, so a store's native
 * expiry (Redis PEXPIREAT, DynamoDB TTL) never fires during a run; every expiry the suite sees
 * must come from the store filtering by `now`, as the port requires.
 */
export const START = Date.UTC(2100, 0, 1);

/**
 * The users. Few, so a user holds several sessions, and chosen to trip stores that build keys
 * or patterns from them: one a prefix of another (`a`, `a:b`), a Redis Cluster hash tag with a
 * glob character, a non-ASCII letter, and `uh1135`, whose home (the core's `userHome`, `roqJ`)
 * is the home of `ü`: two users share a home, so a store must never take a home for a user.
 */
export const USERS: readonly string[] = ['a', 'a:b', '{a}*', 'ü', 'uh1135'];

/** A user of `USERS`. */
export const user = (): fc.Arbitrary<string> => fc.constantFrom(...USERS);

/**
 * Milliseconds past a whole tick: mostly none or the edges, sometimes any, so that boundaries
 * are hit and still no deadline is a whole second.
 */
const millis = (): fc.Arbitrary<number> =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(0, 1, 999) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 998 }) });

/** A lifetime of 1 to 5 ticks, with a millisecond part. */
export const ttl = (): fc.Arbitrary<number> =>
  fc.tuple(fc.integer({ min: 1, max: 5 }), millis()).map(([ticks, ms]) => ticks * TICK + ms);

/** A step of the clock of 0 to `maxTicks` ticks, with a millisecond part. */
export const advance = (maxTicks: number): fc.Arbitrary<number> =>
  fc.tuple(fc.integer({ min: 0, max: maxTicks }), millis()).map(([ticks, ms]) => ticks * TICK + ms);

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

// Methods in an order that is not sorted, so a store that keeps them as a set (sorted, or in
// any order of its own) is caught.
const AUTH_METHODS = ['webauthn', 'password', 'otp', 'sms', 'hwk', 'email-link'];

/**
 * A session's context as the core's `checkContext` hands one to a store: any of its fields,
 * each in normal form, chosen to trip a store that mangles them: addresses of both families (an
 * IPv4-mapped one too), text with quotes, non-ASCII and the separators stores use, an instant
 * with milliseconds, methods in an order of their own. Mostly none: most sessions have none.
 */
export const context = (): fc.Arbitrary<SessionContext | undefined> =>
  fc.option(
    fc
      .record(
        {
          ip: fc.constantFrom('203.0.113.7', '2001:db8::1', '::ffff:192.0.2.1', '::', '0.0.0.0'),
          userAgent: fc.constantFrom('Mozilla/5.0 (X11; Linux x86_64)', 'curl/8.5.0 "quoted" ü', 'a,b;c=d'),
          device: fc.constantFrom("Ada's phone", 'Laptop — work', '{a}*'),
          authenticatedAt: fc.integer({ min: START - 10 * TICK, max: START }),
          authMethods: fc.shuffledSubarray(AUTH_METHODS, { minLength: 1, maxLength: 4 }),
        },
        { requiredKeys: [] },
      )
      .filter((fields) => Object.keys(fields).length > 0) as fc.Arbitrary<SessionContext>,
    { nil: undefined, freq: 2 },
  );

/**
 * A new session as the core makes one: version 1, created now, living `ttl`; anonymous without
 * a user, without context when none is given.
 */
export function newSession(
  id: string,
  userId: string | undefined,
  data: JsonObject,
  ttl: number,
  now: number,
  context?: SessionContext,
): Session {
  return {
    id,
    ...(userId === undefined ? {} : { userId }),
    data,
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    expiresAt: now + ttl,
    version: 1,
    ttl,
    ...(context === undefined ? {} : { context }),
  };
}

/** A time as ticks since the start, for messages: `t3.25`. */
export const tickOf = (time: number): string => `t${(time - START) / TICK}`;

/** A duration in ticks, for messages. */
export const ticks = (duration: number): string => `${duration / TICK}`;

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

/** How a choice reads in a counterexample. */
export function showVersion(choice: VersionChoice): string {
  return choice === 'right' ? 'right version' : `version ${choice > 0 ? '+' : ''}${choice}`;
}
